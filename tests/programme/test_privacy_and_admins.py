"""Programme-only feedback is k-anonymous in every admin view and export; programme notes go
to the admins of the workspace they are about."""

import dataclasses
import io
from datetime import timedelta

from sqlmodel import select

from bot.admin.export import export_rows, write_csv
from bot.core.people import ensure_workspace, programme_admins
from storage.models import Cohort, Feedback, Pair, Person
from tests.programme.helpers import ephemeral_reply, set_topics, text_of
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OUTSIDER, Harness

SECRET = "the agenda always comes late"


def add_programme_feedback(tandem: Harness, pair_id: int, count: int, start: int = 0) -> None:
    """`count` programme-only entries from the pair's mentee."""
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        for n in range(start, start + count):
            session.add(
                Feedback(
                    team_id=tandem.team_id,
                    pair_id=pair_id,
                    author_id=pair.mentee_id,
                    kind="support",
                    text=f"Maya: {SECRET} #{n} (<@{MENTOR}>, noah@example.com)",
                    visibility="programme",
                    created_at=tandem.clock.now() - timedelta(days=n),
                )
            )


def every_admin_view(tandem: Harness) -> str:
    """What an admin can see anywhere: cohorts, feedback, pairs, Home, and the export."""
    shown = [
        text_of(ephemeral_reply(tandem, ADMIN, "admin cohorts")),
        text_of(ephemeral_reply(tandem, ADMIN, "admin feedback")),
        text_of(ephemeral_reply(tandem, ADMIN, "admin pairs")),
        text_of(ephemeral_reply(tandem, ADMIN, "admin")),
    ]
    tandem.slack.open_home(ADMIN)
    tandem.emulator.wait_for("views.publish")
    shown.append(str(tandem.emulator.home(ADMIN)))
    with tandem.session() as session:
        buffer = io.StringIO()
        write_csv(export_rows(session, tandem.team_id), buffer)
        shown.append(buffer.getvalue())
    return "\n".join(shown)


def test_programme_feedback_shows_only_a_count_below_five_then_anonymous_themes(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    with tandem.session() as session:
        cohort = Cohort(
            team_id=tandem.team_id,
            name="Spring",
            starts_on=tandem.clock.now().date(),
            ends_on=tandem.clock.now().date() + timedelta(days=90),
        )
        session.add(cohort)
        session.flush()
        pair = session.get(Pair, ref.pair_id)
        pair.cohort_id = cohort.id
        session.add(pair)
    add_programme_feedback(tandem, ref.pair_id, 4)
    seen = every_admin_view(tandem)
    assert "4 entries" in seen
    assert SECRET not in seen

    add_programme_feedback(tandem, ref.pair_id, 1, start=4)
    seen = every_admin_view(tandem)
    assert "5 entries" in seen
    assert SECRET not in seen  # five entries, but all from one person: theirs to recognise

    for n in range(4):  # four more people, one entry each
        writer = f"UWRITER{n:02d}"
        tandem.emulator.add_user(writer, f"writer{n}", tz="Europe/Berlin")
        other = create_active_pair(tandem, mentor=MENTOR, mentee=writer)
        with tandem.session() as session:
            pair = session.get(Pair, other.pair_id)
            pair.cohort_id = cohort.id
            session.add(pair)
        add_programme_feedback(tandem, other.pair_id, 1, start=5 + n)
    seen = every_admin_view(tandem)
    assert SECRET in seen  # themes, now that five people's entries hide whose they are
    with tandem.session() as session:
        people = [session.get(Person, session.get(Pair, ref.pair_id).mentee_id)]
        feedback = session.exec(select(Feedback)).all()
    forbidden = [MENTEE, "noah", "Noah", "maya", "Maya", "noah@example.com"]
    feedback_view = text_of(ephemeral_reply(tandem, ADMIN, "admin feedback"))
    for word in forbidden:
        assert word not in feedback_view, word
    for entry in feedback:
        # No exact date, no pair id beside the text.
        assert entry.created_at.date().isoformat() not in feedback_view
    assert f"pair {ref.pair_id}" not in feedback_view
    assert people[0].real_name not in feedback_view
    # The export counts programme-only feedback nowhere per pair.
    with tandem.session() as session:
        row = next(export_rows(session, tandem.team_id))
    assert not any("programme" in column for column in row)


def test_programme_admins_are_the_workspace_s_own(tandem: Harness) -> None:
    set_topics(tandem, ["Python"], admins=[OUTSIDER])
    settings = tandem.ctx.settings
    with tandem.session() as session:
        ensure_workspace(session, "T0OTHER")
        session.add(Person(team_id="T0OTHER", user_id="UOTHERADM", is_workspace_admin=True))
        session.add(
            Person(
                team_id=tandem.team_id, user_id="UGONEADM", is_workspace_admin=True, deleted=True
            )
        )
    with tandem.session() as session:
        here = programme_admins(session, settings, tandem.team_id)
        there = programme_admins(session, settings, "T0OTHER")
    # Named in settings, plus TANDEM_ADMINS (one workspace); never another's, never the gone.
    assert here == sorted([OUTSIDER, ADMIN])
    assert "UOTHERADM" not in here and "UGONEADM" not in here
    assert there == sorted(["UOTHERADM", ADMIN])
    oauth = dataclasses.replace(settings, slack_client_id="1.2", slack_client_secret="s")
    with tandem.session() as session:
        # Under OAuth, TANDEM_ADMINS counts only where Tandem has met them.
        assert programme_admins(session, oauth, "T0OTHER") == ["UOTHERADM"]
        assert programme_admins(session, oauth, tandem.team_id) == sorted([OUTSIDER, ADMIN])
    # And a named admin may now run the programme.
    assert "Pairs at risk" in text_of(ephemeral_reply(tandem, OUTSIDER, "admin pairs"))
