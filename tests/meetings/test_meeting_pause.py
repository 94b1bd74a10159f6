"""Pausing stops every nudge; resuming (by hand or on the date) restarts them; lapses."""

from datetime import timedelta

from bot.meetings import keys
from bot.meetings.blocks.messages import LAPSE_LOG, LAPSE_MOVE
from storage.models import MeetingStatus, OutboxStatus, Pair, PairStatus
from tests.meetings.helpers import meetings, queued, remind_both, utc, weekly_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OUTSIDER, Harness


def pair_row(tandem: Harness, pair_id: int) -> Pair:
    with tandem.session() as session:
        return session.get(Pair, pair_id)


def test_pause_stops_all_nudges_until_the_date_then_they_resume_by_themselves(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    tandem.run_due(utc(2026, 3, 8, 9))  # day-before reminders: mentor's sent, mentee's held
    assert [r.status for r in queued(tandem, keys.REMINDER)] == ["sent", "pending"]
    answer = tandem.slack.command(MENTEE, "pause until april 1").json["text"]
    assert "Paused until Wednesday 1 April 2026" in answer and "Maya" in answer
    paused = pair_row(tandem, ref.pair_id)
    assert paused.status == PairStatus.PAUSED
    assert paused.paused_until == utc(2026, 4, 1, 4)  # midnight in New York (EDT)
    # The reminder held for the mentee's morning is cancelled, not delivered during the pause.
    held = [r for r in queued(tandem, keys.REMINDER) if r.recipient_user_id == MENTEE]
    assert held[0].status == OutboxStatus.EXPIRED
    [notice] = queued(tandem, keys.PAUSED)
    assert notice.channel == ref.home_channel_id and "Noah paused" in notice.text
    sent_before = len(queued(tandem))
    for day in range(1, 24):  # every day until 31 March
        tandem.run_due(utc(2026, 3, 8, 12) + timedelta(days=day))
    assert [r.kind for r in queued(tandem)[sent_before:]] == []  # not a single nudge
    # 1 April, 00:00 in New York: nudges are back, with a word to the pair.
    tandem.run_due(utc(2026, 4, 1, 4))
    assert pair_row(tandem, ref.pair_id).status == PairStatus.ACTIVE
    [back] = queued(tandem, keys.RESUMED)
    assert "Welcome back" in back.text
    # Meetings that fell in the pause are off the calendar; the next one is on.
    rows = meetings(tandem, ref.pair_id)
    assert all(m.status == MeetingStatus.CANCELLED for m in rows if m.starts_at < utc(2026, 4, 1))
    assert rows[-1].starts_at == utc(2026, 4, 6, 8) and rows[-1].status == MeetingStatus.SCHEDULED
    tandem.run_due(utc(2026, 4, 5, 8))
    assert len(queued(tandem, keys.REMINDER)) == 4


def test_resume_by_hand_sends_the_reminder_that_is_due_now(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    remind_both(tandem, ref.pair_id)
    tandem.clock.set(utc(2026, 3, 3, 12))
    tandem.slack.command(MENTOR, "pause until 2026-03-20")
    tandem.run_due(utc(2026, 3, 9, 8, 30))
    assert queued(tandem, keys.REMINDER) == []
    answer = tandem.slack.command(MENTOR, "resume").json["text"]
    assert "Welcome back" in answer and "|Mon 9 Mar, 10:00 Europe/Berlin>" in answer
    tandem.run_due(utc(2026, 3, 9, 8, 30))
    assert {r.key.split(":")[3] for r in queued(tandem, keys.REMINDER)} == {"60"}
    assert pair_row(tandem, ref.pair_id).paused_until is None
    assert "isn't paused" in tandem.slack.command(MENTOR, "resume").json["text"]


def test_pause_needs_a_future_date_it_can_read(tandem: Harness) -> None:
    weekly_pair(tandem)
    for text, expected in (
        ("pause", "Which date?"),
        ("pause until someday", "couldn't read"),
        ("pause until 3/4", "couldn't read"),
        ("pause until 2026-03-02", "isn't in the future"),
        ("pause until 2026-02-30", "couldn't read"),
        ("pause until 2028-01-01", "up to a year"),
    ):
        answer = tandem.slack.command(MENTOR, text).json["text"]
        assert expected in answer, (text, answer)
    assert (
        "not in an active mentoring pair"
        in tandem.slack.command(OUTSIDER, "pause until may 1").json["text"]
    )


def test_a_quiet_pair_is_nudged_at_2_4_and_8_times_the_cadence_and_admins_from_4(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    # Issue 17 changed the clock: it starts at the series' first meeting (Monday 9 March,
    # 09:00 UTC), not when the charter was saved (2 March). Weekly: the pair is nudged from
    # 23 March, again at 6 April with the admins, and at 4 May; each nudge waits a day for
    # the "did you meet?" of the meeting it falls on.
    tandem.run_due(utc(2026, 3, 16, 14))
    assert queued(tandem, keys.LAPSE) == []  # two weeks after the charter: nothing was due
    tandem.run_due(utc(2026, 3, 24, 9, 44))
    assert queued(tandem, keys.LAPSE) == []
    tandem.run_due(utc(2026, 3, 24, 9, 46))
    [nudge] = queued(tandem, keys.LAPSE)
    assert nudge.channel == ref.home_channel_id and "haven't seen a meeting" in nudge.text
    tandem.run_due(utc(2026, 3, 31, 14))
    assert len(queued(tandem, keys.LAPSE)) == 1 and queued(tandem, keys.LAPSE_ADMIN) == []
    tandem.run_due(utc(2026, 4, 6, 8, 59))
    assert queued(tandem, keys.LAPSE_ADMIN) == []
    tandem.run_due(utc(2026, 4, 6, 9))  # four weeks after 9 March, 09:00 UTC
    [note] = queued(tandem, keys.LAPSE_ADMIN)
    assert note.recipient_user_id == ADMIN and note.channel == ADMIN
    assert "Maya" in note.text and "Noah" in note.text and "four times" in note.text
    assert "agenda" not in note.text.lower() and "notes" not in note.text.lower()
    assert len(queued(tandem, keys.LAPSE)) == 2  # the lapse goes on: the pair hears again
    # A meeting logged resets the clock: no new nudge until two weeks after it.
    tandem.clock.set(utc(2026, 4, 7, 12))
    tandem.slack.command(MENTOR, "log")
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTOR)
    tandem.slack.submit_view(MENTOR, view, {"meeting.date": "2026-04-07", "meeting.time": "11:00"})
    tandem.run_due(utc(2026, 4, 21, 8))
    assert len(queued(tandem, keys.LAPSE)) == 2
    tandem.run_due(utc(2026, 4, 21, 9))
    assert len(queued(tandem, keys.LAPSE)) == 3
    assert len(queued(tandem, keys.LAPSE_ADMIN)) == 1


def test_the_lapse_nudge_opens_what_it_suggests(tandem: Harness) -> None:
    weekly_pair(tandem)
    tandem.run_due(utc(2026, 3, 24, 9, 46))
    tandem.run_due(utc(2026, 3, 24, 14))  # after the quiet hours in New York
    [nudge] = queued(tandem, keys.LAPSE)
    assert nudge.status == OutboxStatus.SENT and nudge.sent_ts
    message = tandem.emulator.message(nudge.sent_channel or "", nudge.sent_ts)
    tandem.slack.click_button_in(message, MENTEE, action_id=LAPSE_LOG)
    tandem.emulator.wait_for("views.open")
    assert tandem.emulator.open_view(MENTEE)["title"]["text"] == "Log a meeting"
    tandem.slack.click_button_in(message, MENTOR, action_id=LAPSE_MOVE)
    tandem.emulator.wait_for("views.open", count=2)
    moving = tandem.emulator.open_view(MENTOR)
    assert moving["callback_id"] == "meeting.move"
    # Someone else who sees the button is answered as if the pair did not exist.
    tandem.slack.click_button_in(message, OUTSIDER, action_id=LAPSE_LOG)
    tandem.emulator.wait_for("response_url")
    assert len(tandem.emulator.calls("views.open")) == 2


def test_a_lapse_that_goes_on_is_nudged_at_8_times_too(tandem: Harness) -> None:
    weekly_pair(tandem)
    for at in (utc(2026, 3, 24, 10), utc(2026, 4, 7, 10), utc(2026, 5, 3, 10)):
        tandem.run_due(at)
    assert len(queued(tandem, keys.LAPSE)) == 2 and len(queued(tandem, keys.LAPSE_ADMIN)) == 1
    tandem.run_due(utc(2026, 5, 4, 9))  # eight weeks after 9 March, 09:00 UTC
    assert len(queued(tandem, keys.LAPSE)) == 3
    [_, eight] = queued(tandem, keys.LAPSE_ADMIN)
    assert "eight times" in eight.text
    tandem.run_due(utc(2026, 5, 4, 10))  # a later tick: nothing twice
    assert len(queued(tandem, keys.LAPSE)) == 3


def test_a_paused_pair_does_not_lapse(tandem: Harness) -> None:
    weekly_pair(tandem)
    tandem.clock.set(utc(2026, 3, 3, 12))
    tandem.slack.command(MENTEE, "pause until 2026-04-20")
    tandem.run_due(utc(2026, 4, 19, 12))
    assert queued(tandem, keys.LAPSE) == []
    tandem.run_due(utc(2026, 4, 20, 4))  # resumed: the clock starts again
    tandem.run_due(utc(2026, 5, 4, 3))
    assert queued(tandem, keys.LAPSE) == []
    tandem.run_due(utc(2026, 5, 4, 4))
    assert len(queued(tandem, keys.LAPSE)) == 1
    assert queued(tandem, keys.LAPSE_ADMIN) == []


def test_no_quiet_nudge_while_did_you_meet_was_just_asked(tandem: Harness) -> None:
    weekly_pair(tandem, meeting_time="15:00")  # Mondays 15:00 Berlin = 14:00 UTC in March
    for at in (utc(2026, 3, 9, 13), utc(2026, 3, 9, 14, 50), utc(2026, 3, 16, 13)):
        tandem.run_due(at)
    tandem.run_due(utc(2026, 3, 16, 14, 50))
    tandem.run_due(utc(2026, 3, 23, 13))
    # Two weeks after the first meeting (9 March; issue 17: not the charter's save) is due at
    # 14:00, just as the 23 March meeting starts: "did you meet?" comes first, and gets a day
    # to be answered.
    tandem.run_due(utc(2026, 3, 23, 14, 50))
    assert any(r.key.startswith(keys.FOLLOWUP) for r in queued(tandem))
    assert queued(tandem, keys.LAPSE) == []
    tandem.run_due(utc(2026, 3, 24, 14, 44))
    assert queued(tandem, keys.LAPSE) == []
    tandem.run_due(utc(2026, 3, 24, 14, 46))  # a day and no answer: now the gentle nudge
    assert len(queued(tandem, keys.LAPSE)) == 1


def test_the_admins_lapse_note_names_the_date_on_each_admins_own_clock(
    tandem: Harness,
) -> None:
    # Two admins in zones far from UTC: TANDEM_ADMINS' Ada, now in Tokyo, and a Slack
    # workspace admin in Los Angeles. Each has talked to Tandem, so it knows their zones.
    tandem.emulator.add_user(ADMIN, "ada", tz="Asia/Tokyo", real_name="Ada", is_admin=True)
    tandem.emulator.add_user(OUTSIDER, "lee", tz="America/Los_Angeles", is_admin=True)
    for admin in (ADMIN, OUTSIDER):
        tandem.slack.command(admin, "admin")
    weekly_pair(tandem)
    tandem.run_due(utc(2026, 3, 24, 10))
    tandem.run_due(utc(2026, 4, 6, 9))  # four weeks after the first meeting, 9 March 09:00 UTC
    notes = {note.recipient_user_id: note.text for note in queued(tandem, keys.LAPSE_ADMIN)}
    assert set(notes) == {ADMIN, OUTSIDER}
    # The notification shows the fallback: each admin reads the date in their own zone.
    assert "|Mon 9 Mar, 18:00 Asia/Tokyo>" in notes[ADMIN]
    assert "|Mon 9 Mar, 02:00 America/Los_Angeles>" in notes[OUTSIDER]
    assert not any("UTC" in text for text in notes.values())
