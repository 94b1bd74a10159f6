"""Proposals people can say yes to, over signed HTTP: the DM each side gets names the programme
or cohort, the commitment asked, why this match (from a matching round) and who the partner
is: the topics they offer or seek, their timezone and their join note."""

from sqlmodel import select

from bot.programme.blocks.imports import SEND_ACTION
from storage.models import JoinProfile, MatchRound
from tests.programme.helpers import command_modal, latest_ephemeral, set_topics
from tests.reflection.helpers import everything, wait_dm
from tests.support.harness import ADMIN, MENTEE, MENTOR, START, Harness

GUIDE, LEARNER = "UGUIDE001", "ULEARN001"


def join_with_note(
    tandem: Harness, user_id: str, role: str, topics: list[str], note: str, capacity: int = 1
) -> None:
    modal = command_modal(tandem, user_id, "join")
    values = {
        ("role", "value"): role,
        ("capacity", "value"): str(capacity),
        ("offers" if role == "mentor" else "seeks", "value"): topics,
        ("note", "value"): note,
    }
    response = tandem.slack.submit_view(user_id, modal, values)
    assert response.ok and not response.problems, response.body


def test_a_matched_pair_is_told_why_and_about_each_other(tandem: Harness) -> None:
    set_topics(tandem, ["Python", "Design", "Career"])
    tandem.emulator.add_user(GUIDE, "guide", tz="Europe/Berlin")
    tandem.emulator.add_user(LEARNER, "learner", tz="Europe/London")
    join_with_note(tandem, GUIDE, "mentor", ["Python", "Design"], "I lead the platform team.")
    join_with_note(tandem, LEARNER, "mentee", ["Python"], "New to backend work.")
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    latest_ephemeral(tandem, ADMIN, before)
    with tandem.session() as session:
        round_id = session.exec(select(MatchRound)).one().id
    tandem.slack.click(ADMIN, "programme.match.send", str(round_id))
    tandem.run_due(START)  # 14:00 UTC: working hours in London and Berlin

    to_learner = everything(wait_dm(tandem, LEARNER, "A mentoring pair for you?"))
    assert "*Programme:* the mentoring programme" in to_learner
    commitment = "*Expected commitment:* meetings every 2 weeks, open-ended, with a review "
    assert commitment + "together every 3 months" in to_learner
    # London and Berlin share 7 of their 09:00-17:00 hours.
    assert "*Why this match:* shared topics: Python; 7 h of working hours in common" in to_learner
    assert f"*About <@{GUIDE}>:* offers Design, Python; timezone Europe/Berlin" in to_learner
    assert "> I lead the platform team." in to_learner

    to_guide = everything(wait_dm(tandem, GUIDE, "A mentoring pair for you?"))
    assert "*Why this match:* shared topics: Python" in to_guide
    assert f"*About <@{LEARNER}>:* would like help with Python; timezone Europe/London" in (
        to_guide
    )
    assert "> New to backend work." in to_guide


def test_an_imported_pair_is_told_its_cohort_and_when_it_ends(tandem: Harness) -> None:
    modal = command_modal(tandem, ADMIN, "admin import")
    tandem.slack.submit_view(ADMIN, modal, {("lines", "value"): f"{MENTOR},{MENTEE},Spring"})
    preview = wait_dm(tandem, ADMIN, "Import preview")
    tandem.slack.click_button_in(preview, ADMIN, action_id=SEND_ACTION)
    tandem.run_due(START)

    to_mentee = everything(wait_dm(tandem, MENTEE, "A mentoring pair for you?"))
    assert "*Programme:* the Spring cohort" in to_mentee
    commitment = "*Expected commitment:* meetings every 2 weeks, until 2 Sep 2026, when the "
    assert commitment + "cohort ends" in to_mentee
    assert "Why this match" not in to_mentee  # an import says no reason it doesn't know
    assert f"*About <@{MENTOR}>:* timezone " in to_mentee


def test_a_join_note_written_for_admins_only_never_reaches_the_partner(tandem: Harness) -> None:
    """Before the join form said the partner sees the note, it promised admins only: such a
    note stays with the admins (join_profile.note_for_partner false, as migration 0017 leaves
    every earlier note)."""
    set_topics(tandem, ["Python"])
    tandem.emulator.add_user(GUIDE, "guide", tz="Europe/Berlin")
    tandem.emulator.add_user(LEARNER, "learner", tz="Europe/London")
    join_with_note(tandem, GUIDE, "mentor", ["Python"], "Only for the admins: I'm leaving soon.")
    join_with_note(tandem, LEARNER, "mentee", ["Python"], "New to backend work.")
    with tandem.session() as session:
        for profile in session.exec(select(JoinProfile)).all():
            if profile.note.startswith("Only for the admins"):
                profile.note_for_partner = False  # as written under the old form
                session.add(profile)
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    latest_ephemeral(tandem, ADMIN, before)
    with tandem.session() as session:
        round_id = session.exec(select(MatchRound)).one().id
    tandem.slack.click(ADMIN, "programme.match.send", str(round_id))
    tandem.run_due(START)

    to_learner = everything(wait_dm(tandem, LEARNER, "A mentoring pair for you?"))
    assert f"*About <@{GUIDE}>:* offers Python" in to_learner
    assert "leaving soon" not in to_learner
    to_guide = everything(wait_dm(tandem, GUIDE, "A mentoring pair for you?"))
    assert "> New to backend work." in to_guide
