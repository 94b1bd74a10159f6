"""Over signed HTTP: `/tandem join` then `/tandem leave` take someone in and out of the
matching pool, and the cohort modal checks its fields before it saves anything."""

from datetime import date

from sqlmodel import select

from storage.models import Cohort, JoinProfile
from tests.programme.helpers import ephemeral_reply, join, set_topics, text_of
from tests.support.harness import ADMIN, MENTEE, Harness


def test_join_then_leave_takes_someone_in_and_out_of_the_pool(tandem: Harness) -> None:
    set_topics(tandem, ["Python", "Design"])
    join(tandem, MENTEE, "mentee", seeks=["Python"])
    with tandem.session() as session:
        profile = session.exec(select(JoinProfile)).one()
        assert (profile.role, profile.seeks, profile.in_pool) == ("mentee", ["Python"], True)
    left = ephemeral_reply(tandem, MENTEE, "leave")["text"]
    assert "You've left the matching pool" in left
    with tandem.session() as session:
        assert session.exec(select(JoinProfile)).one().in_pool is False
    again = ephemeral_reply(tandem, MENTEE, "leave")["text"]
    assert "You're not in the matching pool" in again
    # Out of the pool, out of the round.
    said = text_of(ephemeral_reply(tandem, ADMIN, "admin match"))
    assert "a round needs both" in said


def test_the_cohort_modal_checks_its_fields_then_saves(tandem: Harness) -> None:
    overview = ephemeral_reply(tandem, ADMIN, "admin cohorts")
    before = len(tandem.emulator.calls("views.open"))
    assert tandem.slack.click(ADMIN, "programme.cohort.new").ok
    tandem.emulator.wait_for("views.open", count=before + 1)
    modal = tandem.emulator.open_view(ADMIN)
    assert modal is not None and "New cohort" in text_of(overview)
    wrong = tandem.slack.submit_view(
        ADMIN,
        modal,
        {
            ("name", "value"): "  ",
            ("starts_on", "value"): date(2026, 4, 1),
            ("ends_on", "value"): date(2026, 3, 1),
        },
    )
    errors = wrong.json["errors"]
    assert "Give the cohort a name" in errors["name"]
    assert "must end after it starts" in errors["ends_on"]
    with tandem.session() as session:
        assert session.exec(select(Cohort)).all() == []
    saved = tandem.slack.submit_view(
        ADMIN,
        tandem.emulator.open_view(ADMIN),
        {
            ("name", "value"): "Spring 2026",
            ("starts_on", "value"): date(2026, 3, 1),
            ("ends_on", "value"): date(2026, 6, 30),
        },
    )
    assert "Saved the cohort “Spring 2026”" in text_of(saved.json["view"])
    with tandem.session() as session:
        cohort = session.exec(select(Cohort)).one()
    assert (cohort.name, cohort.starts_on, cohort.ends_on) == (
        "Spring 2026",
        date(2026, 3, 1),
        date(2026, 6, 30),
    )
    assert cohort.closing_due_at is not None and cohort.closing_due_at.date() == date(2026, 7, 1)
