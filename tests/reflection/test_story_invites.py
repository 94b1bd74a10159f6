"""Stories and missteps: two kinds of giving back, and about once a quarter the mentor of a
pair that meets is invited to share one: in the mentor's next meeting reminder, or (no
reminder carried it within RIDE_ALONG) as a routine DM the daily budget folds."""

import json
from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.delivery.blocks import MUTED, REMINDERS
from bot.reflection.story_rules import NOT_MET_LOOK, RIDE_ALONG, STORY_EVERY, story_invite_due
from storage.models import Contribution, DailyDmCount, OutboxMessage, OutboxStatus, Pair
from tests.reflection.helpers import (
    PAUSED,
    add_meeting,
    click_modal,
    dms,
    everything,
    reply_text,
    set_status,
    wait_dm,
)
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness

INVITE = "A story from your own path for Noah?"
QUARTER = START + STORY_EVERY  # Monday 1 June 2026, 16:00 in Berlin
# The day-before reminder of the next Monday meeting (8 June, 10:00 in Berlin).
REMINDER = QUARTER + timedelta(days=5, hours=18)
FALLBACK = QUARTER + RIDE_ALONG  # no reminder carried it: the DM of its own


def met(tandem: Harness, pair_id: int, at: datetime) -> None:
    """A meeting held at `at`, recorded as the meetings area records one."""
    add_meeting(tandem, pair_id, at)
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None
        pair.last_meeting_at = at
        session.add(pair)


def invites(tandem: Harness, user_id: str) -> int:
    return sum(INVITE in everything(m) for m in dms(tandem, user_id))


def preferences(tandem: Harness, user_id: str, values: dict) -> None:
    """Save `values` in the person's preferences form, as they would."""
    before = len(tandem.emulator.calls("views.open"))
    assert tandem.slack.command(user_id, "preferences").ok
    tandem.emulator.wait_for("views.open", count=before + 1)
    view = tandem.emulator.open_view(user_id)
    assert view is not None
    assert tandem.slack.submit_view(user_id, view, values).ok


def reminder_to(tandem: Harness, user_id: str) -> list[OutboxMessage]:
    """The meeting reminders queued for `user_id` (sent or waiting for their morning)."""
    with tandem.session() as session:
        query = select(OutboxMessage).where(
            col(OutboxMessage.key).startswith("meeting.reminder:"),
            OutboxMessage.recipient_user_id == user_id,
        )
        return list(session.exec(query).all())


def story_rows(tandem: Harness) -> list[OutboxMessage]:
    with tandem.session() as session:
        query = select(OutboxMessage).where(col(OutboxMessage.key).startswith("giveback.story:"))
        return list(session.exec(query).all())


def test_the_rule_invites_a_quarter_on_and_only_pairs_that_met_since() -> None:
    began = datetime(2026, 1, 5, 9, tzinfo=START.tzinfo)
    assert story_invite_due(began + timedelta(days=30), began, began, None) == (
        False,
        began + STORY_EVERY,
    )
    now = began + STORY_EVERY
    assert story_invite_due(now, began, None, None) == (False, now + NOT_MET_LOOK)
    assert story_invite_due(now, began, began + timedelta(days=3), None) == (
        True,
        now + STORY_EVERY,
    )
    # A quarter after the invitation, but no meeting since: look again in a week.
    later = now + STORY_EVERY
    assert story_invite_due(later, began, now - timedelta(days=1), now) == (
        False,
        later + NOT_MET_LOOK,
    )


def test_the_rule_with_a_wait_invites_only_once_it_was_due_that_long() -> None:
    began = datetime(2026, 1, 5, 9, tzinfo=START.tzinfo)
    due = began + STORY_EVERY
    met_at = began + timedelta(days=3)
    # Due, but the reminder has RIDE_ALONG to carry it: the DM's look is then.
    assert story_invite_due(due, began, met_at, None, RIDE_ALONG) == (False, due + RIDE_ALONG)
    late = due + RIDE_ALONG
    assert story_invite_due(late, began, met_at, None, RIDE_ALONG) == (
        True,
        late + STORY_EVERY + RIDE_ALONG,
    )
    # Invited (by a reminder) at `due`: the next DM look is a quarter and a wait on.
    assert story_invite_due(late, began, met_at, due, RIDE_ALONG) == (
        False,
        due + STORY_EVERY + RIDE_ALONG,
    )


def test_the_mentors_next_reminder_carries_the_invitation_and_its_button_opens_a_story(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(START)
    met(tandem, ref.pair_id, START + timedelta(days=7))
    tandem.run_due(QUARTER)
    assert invites(tandem, MENTOR) == 0  # no DM of its own: it waits for the reminder
    tandem.run_due(REMINDER)
    reminder = wait_dm(tandem, MENTOR, INVITE)
    assert reminder["text"].startswith("Reminder: mentoring with Noah")
    assert "a misstep and what you did next" in everything(reminder)
    # The mentor's part: the mentee's reminder (waiting for his morning) does not ask him.
    assert reminder_to(tandem, MENTEE)
    assert all(INVITE not in json.dumps(row.blocks) for row in reminder_to(tandem, MENTEE))
    tandem.run_due(FALLBACK)
    tandem.run_due(FALLBACK + timedelta(days=7))
    assert invites(tandem, MENTOR) == 1  # never both: no DM after the reminder carried it
    assert story_rows(tandem) == []

    view = click_modal(tandem, MENTOR, reminder, "reflection.share.as")
    kind = next(b for b in view["blocks"] if b.get("block_id") == "kind")
    assert kind["element"]["initial_option"]["value"] == "story"
    tandem.slack.submit_view(
        MENTOR,
        view,
        {"reflection.text": "My first launch slipped a month; I learned to cut scope early."},
    )
    tandem.run_due(FALLBACK + timedelta(days=7, minutes=1))
    shared = wait_dm(tandem, MENTEE, "cut scope early")
    assert shared["text"] == "Maya shared a story from their own path with you"
    assert "cut scope early" not in "".join(everything(m) for m in dms(tandem, MENTOR))
    with tandem.session() as session:
        [story] = session.exec(select(Contribution)).all()
        assert (story.kind, story.receiver_id) == (
            "story",
            session.get(Pair, ref.pair_id).mentee_id,
        )


def test_a_mentor_without_reminders_gets_it_as_a_dm_once_it_waited_eight_days(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    preferences(tandem, MENTOR, {REMINDERS: "none"})
    tandem.stop_delivery()
    tandem.run_due(START)
    met(tandem, ref.pair_id, START + timedelta(days=7))
    tandem.run_due(QUARTER)
    tandem.run_due(REMINDER)
    assert reminder_to(tandem, MENTEE) and not reminder_to(tandem, MENTOR)
    assert invites(tandem, MENTOR) == 0
    assert invites(tandem, MENTEE) == 0
    tandem.run_due(FALLBACK - timedelta(minutes=1))
    assert invites(tandem, MENTOR) == 0
    tandem.run_due(FALLBACK)
    invite = wait_dm(tandem, MENTOR, INVITE)
    assert not invite["text"].startswith("Reminder")  # a routine DM (or digest), no reminder
    view = click_modal(tandem, MENTOR, invite, "reflection.share.as")
    kind = next(b for b in view["blocks"] if b.get("block_id") == "kind")
    assert kind["element"]["initial_option"]["value"] == "story"
    tandem.run_due(FALLBACK + timedelta(days=7))
    assert invites(tandem, MENTOR) == 1


def test_a_quarter_without_meeting_brings_no_invitation_until_they_meet_again(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    preferences(tandem, MENTOR, {REMINDERS: "none"})  # no reminder to ride in: DMs
    tandem.stop_delivery()
    tandem.run_due(START)
    tandem.run_due(QUARTER)
    tandem.run_due(FALLBACK)
    assert invites(tandem, MENTOR) == 0  # never met
    met(tandem, ref.pair_id, FALLBACK + timedelta(days=2))
    first = FALLBACK + NOT_MET_LOOK
    tandem.run_due(first)
    assert invites(tandem, MENTOR) == 1
    second = first + STORY_EVERY + RIDE_ALONG
    tandem.run_due(second)
    assert invites(tandem, MENTOR) == 1  # no meeting since the invitation
    set_status(tandem, ref.pair_id, PAUSED)
    met(tandem, ref.pair_id, second + timedelta(days=1))
    tandem.run_due(second + NOT_MET_LOOK)
    assert invites(tandem, MENTOR) == 1  # paused: nothing
    set_status(tandem, ref.pair_id, "active")
    tandem.run_due(second + NOT_MET_LOOK + timedelta(minutes=1))
    assert invites(tandem, MENTOR) == 2


def test_over_the_daily_budget_the_fallback_dm_folds_into_the_digest(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    preferences(tandem, MENTOR, {REMINDERS: "none"})
    tandem.stop_delivery()
    tandem.run_due(START)
    met(tandem, ref.pair_id, START + timedelta(days=7))
    with tandem.session() as session:
        session.add(
            DailyDmCount(team_id=tandem.team_id, user_id=MENTOR, day=FALLBACK.date(), sent=3)
        )
    tandem.run_due(QUARTER)
    tandem.run_due(FALLBACK)
    assert invites(tandem, MENTOR) == 0
    [row] = story_rows(tandem)
    assert row.status == OutboxStatus.FOLDED and row.folded_into
    tandem.run_due(FALLBACK + timedelta(days=1))  # the digest, next morning in Berlin
    digest = wait_dm(tandem, MENTOR, INVITE)
    assert "reflection.share.as" in everything(digest)  # its button kept


def test_stories_and_missteps_can_be_named_in_the_command(tandem: Harness) -> None:
    create_active_pair(tandem)
    said = reply_text(tandem, MENTOR, "share misstep I once shipped on a Friday. Never again.")
    assert "as a misstep and what you learned" in said
    dm = wait_dm(tandem, MENTEE, "shipped on a Friday")
    assert dm["text"] == "Maya shared a misstep and what they learned with you"
    said = reply_text(tandem, MENTOR, "share story How I moved from support into engineering.")
    assert "as a story from your own path" in said
    with tandem.session() as session:
        kinds = [c.kind for c in session.exec(select(Contribution).order_by(Contribution.id))]
    assert kinds == ["misstep", "story"]


def test_a_mentor_who_turned_off_invitations_to_give_back_gets_none(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    preferences(tandem, MENTOR, {MUTED: ["reflection.giveback"]})
    tandem.stop_delivery()
    tandem.run_due(START)
    met(tandem, ref.pair_id, START + timedelta(days=7))
    tandem.run_due(QUARTER)
    tandem.run_due(REMINDER)
    wait_dm(tandem, MENTOR, "Reminder: mentoring with Noah")  # the reminder, without it
    tandem.run_due(FALLBACK)
    tandem.run_due(FALLBACK + timedelta(minutes=1))
    assert invites(tandem, MENTOR) == 0
    [row] = story_rows(tandem)
    assert row.status != OutboxStatus.SENT
