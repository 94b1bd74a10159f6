"""Pausing or ending stops Tandem's nudges, never what one member did for the other."""

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from bot.delivery.kind_rules import CHEER_KIND, NUDGE_KINDS, is_nudge
from bot.delivery.service import enqueue
from bot.meetings import keys
from storage.models import OutboxMessage, OutboxStatus
from tests.meetings.helpers import queued, utc, weekly_pair
from tests.reflection.helpers import command_modal, dm_text
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, Harness

NIGHT_IN_NEW_YORK = utc(2026, 3, 3, 3)  # 22:00 for the mentee: quiet hours
MORNING_IN_NEW_YORK = utc(2026, 3, 3, 13)  # 08:00 EST


def share_while_mentee_sleeps(tandem: Harness) -> int:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(NIGHT_IN_NEW_YORK)
    tandem.slack.command(MENTOR, "share https://example.com great read")
    tandem.run_due(NIGHT_IN_NEW_YORK)
    [share] = queued(tandem, "reflection.share")
    assert share.status == OutboxStatus.PENDING and share.last_error == "held: quiet hours"
    return ref.pair_id


def test_a_share_held_for_the_morning_still_arrives_after_a_pause(tandem: Harness) -> None:
    share_while_mentee_sleeps(tandem)
    assert "Paused until" in tandem.slack.command(MENTEE, "pause until 2026-03-20").json["text"]
    tandem.run_due(MORNING_IN_NEW_YORK)
    [share] = queued(tandem, "reflection.share")
    assert share.status == OutboxStatus.SENT
    assert "example.com" in dm_text(tandem, MENTEE)


def test_a_share_held_for_the_morning_still_arrives_after_the_end(tandem: Harness) -> None:
    share_while_mentee_sleeps(tandem)
    view = command_modal(tandem, MENTOR, "end")
    tandem.slack.submit_view(
        MENTOR, view, {"reflection.how": "graduate", "reflection.thank_you": "Thanks, Noah!"}
    )
    tandem.run_due(MORNING_IN_NEW_YORK)
    assert {r.kind: r.status for r in queued(tandem) if r.recipient_user_id == MENTEE} == {
        "reflection.share": OutboxStatus.SENT,
        "reflection.ending": OutboxStatus.SENT,
    }
    assert "example.com" in dm_text(tandem, MENTEE) and "Thanks, Noah!" in dm_text(tandem, MENTEE)


def queue_nudge(tandem: Harness, pair_id: int, key: str) -> None:
    """A reminder queued as a producer would, racing the pause or the ending."""
    with tandem.session() as session:
        enqueue(
            session,
            team_id=tandem.team_id,
            key=key,
            kind=keys.REMINDER,
            channel=MENTOR,
            recipient_user_id=MENTOR,
            text="Your meeting is tomorrow",
            deliver_after=tandem.clock.now(),
            pair_id=pair_id,
            exempt_from_cap=True,
        )


def test_the_sender_expires_nudges_for_a_paused_or_ended_pair(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.slack.command(MENTOR, "pause until 2026-03-20")
    queue_nudge(tandem, ref.pair_id, "snooze:paused")
    tandem.run_due(utc(2026, 3, 3, 9))
    tandem.slack.command(MENTOR, "resume")
    tandem.slack.submit_view(
        MENTOR, command_modal(tandem, MENTOR, "end"), {"reflection.how": "graduate"}
    )
    queue_nudge(tandem, ref.pair_id, "snooze:ended")
    tandem.run_due(utc(2026, 3, 4, 9))
    rows = {r.key: r for r in queued(tandem, keys.REMINDER)}
    for key in ("snooze:paused", "snooze:ended"):
        assert (rows[key].status, rows[key].last_error) == (OutboxStatus.EXPIRED, "pair not active")
    assert "Your meeting is tomorrow" not in dm_text(tandem, MENTOR)


def test_an_old_snooze_button_during_a_pause_or_after_the_end_is_refused(
    tandem: Harness,
) -> None:
    weekly_pair(tandem)
    tandem.run_due(utc(2026, 3, 8, 9))  # the mentor's day-before reminder is sent
    [reminder] = [r for r in queued(tandem, keys.REMINDER) if r.recipient_user_id == MENTOR]
    tandem.slack.command(MENTOR, "pause until 2026-03-20")
    tandem.slack.click(MENTOR, "meeting.snooze", value=reminder.key)
    tandem.emulator.wait_for("response_url")
    assert "paused" in str(tandem.emulator.calls("response_url")[-1].args)
    tandem.slack.submit_view(
        MENTOR, command_modal(tandem, MENTOR, "end"), {"reflection.how": "graduate"}
    )
    tandem.slack.click(MENTOR, "meeting.snooze", value=reminder.key)
    tandem.emulator.wait_for("response_url", count=2)
    assert "isn't active" in str(tandem.emulator.calls("response_url")[-1].args)
    assert not [r for r in queued(tandem, keys.REMINDER) if r.key.startswith("snooze:")]


def test_every_nudge_kind_is_still_queued_somewhere() -> None:
    sources = "".join(
        path.read_text() for path in Path("bot").rglob("*.py") if path.name != "kind_rules.py"
    )
    for kind in (*NUDGE_KINDS, CHEER_KIND, "anniversary", "streak"):
        assert f'"{kind}"' in sources, kind


def test_nudges_and_relayed_messages_are_told_apart() -> None:
    assert is_nudge("meeting.reminder", "snooze:12")  # a snoozed copy keeps its kind
    assert is_nudge("celebrate.pair", "celebrate.pair:3:anniversary:6m")
    assert is_nudge("celebrate.pair", "celebrate.pair:3:streak:streak-4@20260302T0900")
    assert not is_nudge("celebrate.pair", "celebrate.pair:3:milestone:7")
    for kind in ("reflection.share", "reflection.feedback", "charter.ack_request", "goal.update"):
        assert not is_nudge(kind, f"{kind}:1")


def test_posts_in_a_pairs_group_dm_wait_for_both_to_be_awake(tandem: Harness) -> None:
    # Any area's post to the pair's home is held by both members' quiet hours, without each
    # caller having to name the audience.
    tandem.stop_delivery()
    ref = create_active_pair(tandem)
    night = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # Berlin 04:00, New York 22:00
    with tandem.session() as session:
        enqueue(
            session,
            team_id=tandem.team_id,
            key="test:home-post",
            kind="goal.post",
            channel=ref.home_channel_id,
            text="A new goal",
            deliver_after=night,
            pair_id=ref.pair_id,
        )
    with tandem.session() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.key == "test:home-post")).one()
        assert sorted(row.audience) == sorted([MENTOR, MENTEE])
    tandem.run_due(night)
    assert not [
        m for m in tandem.emulator.messages(ref.home_channel_id) if m["text"] == "A new goal"
    ]
    tandem.run_due(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))  # Berlin 14:00, New York 08:00
    assert [m for m in tandem.emulator.messages(ref.home_channel_id) if m["text"] == "A new goal"]
