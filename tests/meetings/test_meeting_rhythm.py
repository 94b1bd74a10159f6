"""A weekly charter becomes reminders and "did you meet?" at the right instants, across DST."""

from datetime import timedelta

from bot.meetings import keys
from storage.models import OutboxStatus
from tests.meetings.helpers import meetings, queued, remind_both, texts, utc, weekly_pair
from tests.support.harness import MENTEE, MENTOR, Harness
from tests.support.waits import CountedWaits


def test_a_weekly_charter_is_announced_and_scheduled_in_berlin_time(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    [first] = meetings(tandem, ref.pair_id)
    # 2 March 2026 10:00 Berlin has just begun at START: the first meeting is next Monday.
    assert first.starts_at == utc(2026, 3, 9, 9)
    [announcement] = queued(tandem, keys.SERIES)
    assert announcement.channel == ref.home_channel_id
    assert "every Monday at 10:00 (Europe/Berlin)" in announcement.text
    # Both are awake at START (Berlin 15:00, New York 09:00): the group DM hears at once.
    tandem.emulator.wait_for(lambda call: call.method == "chat.postMessage")
    [posted] = tandem.emulator.messages(ref.home_channel_id)
    assert "every Monday at 10:00" in posted["text"]


def test_reminders_and_the_follow_up_come_at_the_right_instants_across_dst(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    remind_both(tandem, ref.pair_id)
    # Winter: Monday 23 March 10:00 CET is 09:00 UTC.
    # Summer: Europe springs forward on 29 March; Monday 30 March 10:00 CEST is 08:00 UTC.
    for meeting_at in (utc(2026, 3, 23, 9), utc(2026, 3, 30, 8)):
        day_before, hour_before = meeting_at - timedelta(days=1), meeting_at - timedelta(hours=1)
        followup_at = meeting_at + timedelta(minutes=45)
        tandem.run_due(day_before - timedelta(seconds=1))
        before = {r.key for r in queued(tandem, keys.REMINDER)}
        tandem.run_due(day_before)
        day = [r for r in queued(tandem, keys.REMINDER) if r.key not in before]
        assert sorted(r.recipient_user_id for r in day) == [MENTEE, MENTOR]
        assert all(r.created_at == day_before and ":1440:" in r.key for r in day)
        tandem.run_due(hour_before - timedelta(seconds=1))
        assert len(queued(tandem, keys.REMINDER)) == len(before) + 2
        tandem.run_due(hour_before)
        hour = queued(tandem, keys.REMINDER)[-2:]
        assert all(r.created_at == hour_before and ":60:" in r.key for r in hour)
        tandem.run_due(followup_at - timedelta(seconds=1))
        asked = len(queued(tandem, keys.FOLLOWUP))
        tandem.run_due(followup_at)
        followup = queued(tandem, keys.FOLLOWUP)[-1]
        assert len(queued(tandem, keys.FOLLOWUP)) == asked + 1
        assert followup.created_at == followup_at and followup.channel == ref.home_channel_id
    # Each person reads the time in their own zone: 10:00 in Berlin, 04:00 in New York (EDT).
    mentor_dm, mentee_dm = texts(tandem, MENTOR), texts(tandem, MENTEE)
    # (Slack shows the token on each reader's clock; the fallback is theirs, naming the zone.)
    assert "|Mon 30 Mar, 10:00 Europe/Berlin>" in mentor_dm[-1]
    assert "|Mon 30 Mar, 04:00 America/New_York>" in mentee_dm[-1]
    # 23 March: New York had sprung forward (8 March), Berlin not yet: 05:00 there.
    assert any("|Mon 23 Mar, 05:00 America/New_York>" in text for text in mentee_dm)


def test_running_the_same_instant_twice_queues_nothing_twice(tandem: Harness) -> None:
    weekly_pair(tandem)
    at = utc(2026, 3, 8, 9)
    first = tandem.run_due(at)
    again = tandem.run_due(at)
    assert first.queued == 2 and again.queued == 0
    assert len(queued(tandem, keys.REMINDER)) == 2


def test_after_downtime_each_due_thing_is_done_once_and_late_reminders_are_skipped(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    remind_both(tandem, ref.pair_id)
    # Down from Saturday until half an hour before Monday's meeting: the day-before reminder
    # was missed; only the hour-before one (now due) goes out.
    tandem.run_due(utc(2026, 3, 9, 8, 30))
    reminders = queued(tandem, keys.REMINDER)
    assert len(reminders) == 2 and all(":60:" in r.key for r in reminders)
    # Down again until Wednesday: the meeting is over. No reminder for it, one "did you meet?",
    # and the next meeting (16 March) is scheduled.
    tandem.run_due(utc(2026, 3, 11, 12))
    assert len(queued(tandem, keys.REMINDER)) == 2
    assert len(queued(tandem, keys.FOLLOWUP)) == 1
    assert [m.starts_at for m in meetings(tandem, ref.pair_id)][-1] == utc(2026, 3, 16, 9)
    # Three weeks of downtime: meetings in between are never invented after the fact.
    tandem.run_due(utc(2026, 4, 2, 12))
    assert [m.starts_at for m in meetings(tandem, ref.pair_id)][-1] == utc(2026, 4, 6, 8)


def test_emulated_rate_limits_and_server_errors_lose_no_reminder(tandem: Harness) -> None:
    tandem.ctx.retry_waits = waits = CountedWaits()  # quick retries without their sleep
    weekly_pair(tandem)
    tandem.emulator.fail_next("chat.postMessage", status=429, retry_after=20)
    tandem.emulator.fail_next("chat.postMessage", status=503, times=2)
    tandem.emulator.fail_next("chat.postMessage", status=500)
    at = utc(2026, 3, 8, 9)
    for step in range(12):  # every 30 seconds for six minutes, as the tick would
        tandem.run_due(at + timedelta(seconds=30 * step))
    tandem.run_due(utc(2026, 3, 8, 12))  # the mentee's morning
    reminders = queued(tandem, keys.REMINDER)
    assert [r.status for r in reminders] == [OutboxStatus.SENT, OutboxStatus.SENT]
    failures = [c for c in tandem.emulator.calls("chat.postMessage") if c.injected]
    assert [c.status for c in failures] == [429, 503, 503, 500]
    assert waits.asked == [0, 1]  # the 503s retried quickly; the 500 left to the outbox
    assert len(texts(tandem, MENTOR)) == 1 and len(texts(tandem, MENTEE)) == 1
