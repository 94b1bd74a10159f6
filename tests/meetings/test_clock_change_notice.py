"""A clock change that moves someone's meeting is told to them, before the first moved one:
in their reminder, or (when they chose no reminders) in a short DM of its own."""

import time
from datetime import timedelta
from typing import Any

from bot.delivery.blocks import REMINDERS
from bot.meetings import keys
from bot.meetings.blocks.modals import DATE_BLOCK, TIME_BLOCK
from storage.models import Meeting, MeetingStatus
from tests.meetings.helpers import meetings, queued, utc
from tests.support.factories import DEFAULT_CHARTER, create_active_pair
from tests.support.harness import MENTOR, OUTSIDER, START, Harness

TOKYO_MENTEE = OUTSIDER  # Oscar, Asia/Tokyo; Maya, the mentor, is in Berlin
# Mondays 09:00 in Berlin: 17:00 in Tokyo until Berlin springs forward (29 March), then 16:00.
MONDAYS = [utc(2026, 3, 9, 8), utc(2026, 3, 16, 8), utc(2026, 3, 23, 8), utc(2026, 3, 30, 7)]
CHANGED = "Berlin changed its clocks on 29 March, so on your clock this meeting is now at"


def berlin_tokyo_pair(tandem: Harness) -> int:
    tandem.stop_delivery()
    ref = create_active_pair(
        tandem, mentee=TOKYO_MENTEE, charter={**DEFAULT_CHARTER, "meeting_time": "09:00"}
    )
    tandem.run_due(START)
    return ref.pair_id


def live_through_march(tandem: Harness) -> None:
    """A day before each Monday meeting, then the meeting itself (the next one is made)."""
    for monday in MONDAYS:
        tandem.run_due(monday - timedelta(days=1))
        tandem.run_due(monday + timedelta(hours=1))


def dms(tandem: Harness, user: str) -> list[dict[str, Any]]:
    return tandem.emulator.messages(user)


def said(message: dict[str, Any]) -> str:
    return message["text"] + str(message["blocks"])


def test_the_tokyo_mentee_is_told_in_the_reminder_before_the_first_moved_meeting(
    tandem: Harness,
) -> None:
    berlin_tokyo_pair(tandem)
    live_through_march(tandem)
    reminders = [m for m in dms(tandem, TOKYO_MENTEE) if "Reminder: mentoring" in m["text"]]
    assert len(reminders) == 4
    *before, moved = reminders
    assert all("changed its clocks" not in said(m) for m in before)
    blocks = said(moved)
    assert CHANGED in blocks
    # Each time is Slack's token (the reader's own clock); the fallbacks are Oscar's clock.
    new, old = (
        int(MONDAYS[3].timestamp()),
        int((MONDAYS[3] - timedelta(weeks=1, hours=-1)).timestamp()),
    )
    assert f"<!date^{new}^{{time}}|16:00 Asia/Tokyo>, not " in blocks
    assert f"<!date^{old}^{{time}}|17:00>." in blocks
    assert "The clocks changed" in moved["text"]
    # Maya, in Berlin, meets at 09:00 all month: nothing moved for her.
    assert all("changed its clocks" not in said(m) for m in dms(tandem, MENTOR))


def test_a_member_without_reminders_still_hears_of_the_clock_change(tandem: Harness) -> None:
    berlin_tokyo_pair(tandem)
    before = len(tandem.emulator.calls("views.open"))
    assert tandem.slack.command(TOKYO_MENTEE, "preferences").ok
    tandem.emulator.wait_for("views.open", count=before + 1)
    view = tandem.emulator.open_view(TOKYO_MENTEE)
    assert tandem.slack.submit_view(TOKYO_MENTEE, view, {REMINDERS: "none"}).ok
    live_through_march(tandem)
    to_oscar = [r for r in queued(tandem, keys.REMINDER) if r.recipient_user_id == TOKYO_MENTEE]
    # No reminders (his choice), but one word the day before the moved meeting.
    assert [r.key.split(":")[-2] for r in to_oscar] == ["clock"]
    [notice] = to_oscar
    assert notice.deliver_after == MONDAYS[3] - timedelta(days=1)
    assert notice.expires_at == MONDAYS[3]
    [message] = [m for m in dms(tandem, TOKYO_MENTEE) if "new time" in m["text"]]
    assert CHANGED in said(message) and "16:00 Asia/Tokyo" in said(message)
    # Maya, on the pair's default (the day before), had her four reminders, none about clocks.
    to_maya = [r for r in queued(tandem, keys.REMINDER) if r.recipient_user_id == MENTOR]
    assert len(to_maya) == 4 and all(":clock:" not in r.key for r in to_maya)


def test_a_meeting_moved_by_hand_carries_no_clock_notice(tandem: Harness) -> None:
    berlin_tokyo_pair(tandem)
    for monday in MONDAYS[:3]:
        tandem.run_due(monday - timedelta(days=1))
        tandem.run_due(monday + timedelta(hours=1))
    # Maya moves the 30 March meeting to 10:00 Berlin (17:00 in Tokyo): the pair's own choice,
    # told by the "moved" notice, not a clock change to explain.
    tandem.slack.command(MENTOR, "reschedule")
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTOR)
    date_block = next(b for b in view["blocks"] if b.get("block_id") == DATE_BLOCK)
    assert date_block["element"]["initial_date"] == "2026-03-30"
    tandem.slack.submit_view(MENTOR, view, {DATE_BLOCK: "2026-03-30", TIME_BLOCK: "10:00"})
    tandem.run_due(MONDAYS[3] - timedelta(days=1, hours=-1))  # a day before 10:00 Berlin
    reminders = [m for m in dms(tandem, TOKYO_MENTEE) if "Reminder: mentoring" in m["text"]]
    assert len(reminders) == 4 and "17:00 Asia/Tokyo" in said(reminders[-1])
    assert all("changed its clocks" not in said(m) for m in reminders)


APRIL_6 = utc(2026, 4, 6, 7)  # 09:00 Berlin, 16:00 Tokyo: the first meeting after the 30th


def through_23_march(tandem: Harness) -> int:
    """The pair meets on 9, 16 and 23 March (17:00 for Oscar); returns the 30 March meeting."""
    pair_id = berlin_tokyo_pair(tandem)
    for monday in MONDAYS[:3]:
        tandem.run_due(monday - timedelta(days=1))
        tandem.run_due(monday + timedelta(hours=1))
    [moved] = [m for m in meetings(tandem, pair_id) if m.starts_at == MONDAYS[3]]
    return moved.id or 0


def skip(tandem: Harness, meeting_id: int) -> None:
    """Maya clicks "Skip this one" on the meeting; returns once it is skipped."""
    tandem.slack.click(MENTOR, "meeting.skip", value=str(meeting_id))
    deadline = time.monotonic() + 20
    while meeting_status(tandem, meeting_id) != MeetingStatus.SKIPPED:
        assert time.monotonic() < deadline, "the skip was never recorded"
        time.sleep(0.05)


def meeting_status(tandem: Harness, meeting_id: int) -> str:
    with tandem.session() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        return meeting.status


def oscar_reminders(tandem: Harness) -> list[dict[str, Any]]:
    return [m for m in dms(tandem, TOKYO_MENTEE) if "Reminder: mentoring" in m["text"]]


def test_when_the_first_moved_meeting_is_skipped_the_next_one_carries_the_notice(
    tandem: Harness,
) -> None:
    moved = through_23_march(tandem)
    tandem.clock.set(MONDAYS[2] + timedelta(days=2))
    skip(tandem, moved)  # before its reminder
    tandem.run_due(MONDAYS[3] - timedelta(days=1))
    tandem.run_due(APRIL_6 - timedelta(days=1))
    reminders = oscar_reminders(tandem)
    assert len(reminders) == 4  # 9, 16, 23 March and 6 April: none for the skipped one
    assert all("changed its clocks" not in said(m) for m in reminders[:3])
    assert CHANGED in said(reminders[3])
    assert f"<!date^{int(APRIL_6.timestamp())}^{{time}}|16:00 Asia/Tokyo>, not " in said(
        reminders[3]
    )


def test_a_skip_after_the_notice_went_out_is_not_told_twice(tandem: Harness) -> None:
    moved = through_23_march(tandem)
    tandem.run_due(MONDAYS[3] - timedelta(days=1))  # the reminder that tells of the change
    skip(tandem, moved)
    tandem.run_due(APRIL_6 - timedelta(days=1))
    reminders = oscar_reminders(tandem)
    assert [CHANGED in said(m) for m in reminders] == [False, False, False, True, False]


def test_a_pause_across_the_clock_change_is_followed_by_the_notice(tandem: Harness) -> None:
    through_23_march(tandem)
    tandem.clock.set(MONDAYS[2] + timedelta(days=1))
    assert "Paused until" in tandem.slack.command(MENTOR, "pause until 2026-04-02").json["text"]
    tandem.run_due(MONDAYS[3] - timedelta(days=1))
    tandem.run_due(utc(2026, 4, 2, 8))  # the pause runs out: the 30 March meeting is cancelled
    tandem.run_due(APRIL_6 - timedelta(days=1))
    reminders = oscar_reminders(tandem)
    assert len(reminders) == 4
    assert CHANGED in said(reminders[3]) and "changed its clocks" not in said(reminders[2])
