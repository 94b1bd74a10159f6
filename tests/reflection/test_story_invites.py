"""Stories and missteps: two kinds of giving back, and about once a quarter the mentor of a
pair that meets is invited to share one (routine: the daily budget folds it)."""

from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.delivery.blocks import MUTED
from bot.reflection.story_rules import NOT_MET_LOOK, STORY_EVERY, story_invite_due
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
QUARTER = START + STORY_EVERY  # 1 June 2026, 16:00 in Berlin


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


def test_the_mentor_is_invited_a_quarter_on_and_shares_a_story_from_it(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(START)
    met(tandem, ref.pair_id, START + timedelta(days=7))
    tandem.run_due(QUARTER - timedelta(days=1))
    assert invites(tandem, MENTOR) == 0
    tandem.run_due(QUARTER)
    invite = wait_dm(tandem, MENTOR, INVITE)
    assert "a misstep and what you did next" in everything(invite)
    assert invites(tandem, MENTEE) == 0  # the mentor's part: the mentee is not asked
    tandem.run_due(QUARTER + timedelta(days=7))
    assert invites(tandem, MENTOR) == 1

    view = click_modal(tandem, MENTOR, invite, "reflection.share.as")
    kind = next(b for b in view["blocks"] if b.get("block_id") == "kind")
    assert kind["element"]["initial_option"]["value"] == "story"
    tandem.slack.submit_view(
        MENTOR,
        view,
        {"reflection.text": "My first launch slipped a month; I learned to cut scope early."},
    )
    tandem.run_due(QUARTER + timedelta(days=7, minutes=1))
    shared = wait_dm(tandem, MENTEE, "cut scope early")
    assert shared["text"] == "Maya shared a story from their own path with you"
    assert "cut scope early" not in "".join(everything(m) for m in dms(tandem, MENTOR)[1:])
    with tandem.session() as session:
        [story] = session.exec(select(Contribution)).all()
        assert (story.kind, story.receiver_id) == (
            "story",
            session.get(Pair, ref.pair_id).mentee_id,
        )


def test_a_quarter_without_meeting_brings_no_invitation_until_they_meet_again(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(START)
    tandem.run_due(QUARTER)
    assert invites(tandem, MENTOR) == 0  # never met
    met(tandem, ref.pair_id, QUARTER + timedelta(days=2))
    tandem.run_due(QUARTER + NOT_MET_LOOK)
    assert invites(tandem, MENTOR) == 1
    second = QUARTER + NOT_MET_LOOK + STORY_EVERY
    tandem.run_due(second)
    assert invites(tandem, MENTOR) == 1  # no meeting since the invitation
    set_status(tandem, ref.pair_id, PAUSED)
    met(tandem, ref.pair_id, second + timedelta(days=1))
    tandem.run_due(second + NOT_MET_LOOK)
    assert invites(tandem, MENTOR) == 1  # paused: nothing
    set_status(tandem, ref.pair_id, "active")
    tandem.run_due(second + NOT_MET_LOOK + timedelta(minutes=1))
    assert invites(tandem, MENTOR) == 2


def test_over_the_daily_budget_the_invitation_folds_into_the_digest(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(START)
    met(tandem, ref.pair_id, START + timedelta(days=7))
    with tandem.session() as session:
        session.add(
            DailyDmCount(team_id=tandem.team_id, user_id=MENTOR, day=QUARTER.date(), sent=3)
        )
    tandem.run_due(QUARTER)
    assert invites(tandem, MENTOR) == 0
    with tandem.session() as session:
        [row] = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.key).startswith("giveback.story:"))
        ).all()
        assert row.status == OutboxStatus.FOLDED and row.folded_into
    tandem.run_due(QUARTER + timedelta(days=1))  # the digest, next morning in Berlin
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
    before = len(tandem.emulator.calls("views.open"))
    assert tandem.slack.command(MENTOR, "preferences").ok
    tandem.emulator.wait_for("views.open", count=before + 1)
    view = tandem.emulator.open_view(MENTOR)
    assert view is not None
    assert tandem.slack.submit_view(MENTOR, view, {MUTED: ["reflection.giveback"]}).ok
    tandem.stop_delivery()
    tandem.run_due(START)
    met(tandem, ref.pair_id, START + timedelta(days=7))
    tandem.run_due(QUARTER)
    tandem.run_due(QUARTER + timedelta(minutes=1))
    assert invites(tandem, MENTOR) == 0
    with tandem.session() as session:
        [row] = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.key).startswith("giveback.story:"))
        ).all()
        assert row.status != OutboxStatus.SENT
