"""After the meeting: "did you meet?", notes only the pair can see, skips, moves, old clicks."""

import json
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.meetings import keys
from bot.meetings.blocks.modals import (
    ACTIONS_BLOCK,
    DATE_BLOCK,
    DISCUSSED_BLOCK,
    FOCUS_BLOCK,
    LESSON_BLOCK,
    TIME_BLOCK,
)
from storage.models import Meeting, MeetingStatus, Pair
from tests.meetings.helpers import meetings, queued, utc, weekly_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, Harness

MEETING = utc(2026, 3, 9, 9)  # Monday 10:00 in Berlin
AFTER = utc(2026, 3, 9, 13)  # both awake: the follow-up has been posted


def followup(tandem: Harness, home: str) -> dict[str, Any]:
    """The "did you meet?" message in the pair's group DM."""
    tandem.run_due(AFTER)
    found = [
        m
        for m in tandem.emulator.messages(home)
        if any(b.get("block_id") == "meeting.followup" for b in m["blocks"] or [])
    ]
    assert found, tandem.emulator.dump_calls()
    return found[-1]


def opened_modal(tandem: Harness, user_id: str, count: int = 1) -> dict[str, Any]:
    tandem.emulator.wait_for("views.open", count=count)
    view = tandem.emulator.open_view(user_id)
    assert view is not None
    return view


def meeting_row(tandem: Harness, meeting_id: int) -> Meeting:
    with tandem.session() as session:
        found = session.get(Meeting, meeting_id)
        assert found is not None
        return found


NOTES = {
    DISCUSSED_BLOCK: "How to split the Q3 launch into milestones.",
    LESSON_BLOCK: "Write the decision down before the meeting.",
    ACTIONS_BLOCK: "Noah drafts the launch plan by Friday.",
    FOCUS_BLOCK: ["system design", "career"],
}


def test_met_opens_notes_that_are_saved_for_the_pair(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = followup(tandem, ref.home_channel_id)
    assert "Did you meet?" in message["text"]
    tandem.slack.click_button_in(message, MENTOR, action_id="meeting.met")
    view = opened_modal(tandem, MENTOR)
    assert view["callback_id"] == "meeting.notes"
    updated = tandem.emulator.wait_for("chat.update")[0]
    assert "Met" in updated.args["text"]
    response = tandem.slack.submit_view(MENTOR, view, NOTES)
    assert response.ok and response.problems == []
    assert tandem.emulator.open_view(MENTOR) is None  # closed
    [met] = [m for m in meetings(tandem, ref.pair_id) if m.status == MeetingStatus.MET]
    assert met.starts_at == MEETING
    assert met.discussed == NOTES[DISCUSSED_BLOCK]
    assert met.focus_areas == ["system design", "career"]
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).last_meeting_at == MEETING
    # The partner opens the same notes from the updated message: the mentor's part to read,
    # their own to write. Neither overwrites the other.
    current = tandem.emulator.message(ref.home_channel_id, message["ts"])
    tandem.slack.click_button_in(current, MENTEE, action_id="meeting.notes")
    view = opened_modal(tandem, MENTEE, count=2)
    assert NOTES[DISCUSSED_BLOCK] in str(view["blocks"])  # Maya's words, shown
    discussed = next(b for b in view["blocks"] if b.get("block_id") == DISCUSSED_BLOCK)
    assert "initial_value" not in discussed["element"]
    tandem.slack.submit_view(MENTEE, view, {LESSON_BLOCK: "Ask earlier."})
    assert meeting_row(tandem, met.id).lesson == (
        f"Maya: {NOTES[LESSON_BLOCK]}\nNoah: Ask earlier."
    )
    # No more nudges about a meeting that took place.
    assert meeting_row(tandem, met.id).next_nudge_at is None


def test_an_outsider_can_neither_open_nor_write_a_pairs_notes(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = followup(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(message, MENTOR, action_id="meeting.met")
    view = opened_modal(tandem, MENTOR)
    tandem.slack.submit_view(MENTOR, view, NOTES)
    meeting_id = json.loads(view["private_metadata"])["meeting"]
    tandem.emulator.clear_calls()
    # Outsiders cannot see the group DM; they can only forge what a button would send.
    for action in ("meeting.notes", "meeting.met", "meeting.skip", "meeting.move"):
        answer = tandem.slack.click(OUTSIDER, action, value=str(meeting_id))
        assert answer.ok
    replies = tandem.emulator.wait_for("response_url", count=4)
    assert all("couldn't find that meeting" in c.args["text"] for c in replies)
    assert tandem.emulator.calls("views.open") == []
    assert tandem.emulator.open_view(OUTSIDER) is None
    forged = {**view, "id": "VFORGED"}
    response = tandem.slack.submit_view(OUTSIDER, forged, {DISCUSSED_BLOCK: "mine now"})
    assert response.json["response_action"] == "errors"
    assert "couldn't find that meeting" in response.json["errors"][DISCUSSED_BLOCK]
    stored = meeting_row(tandem, meeting_id)
    assert stored.discussed == NOTES[DISCUSSED_BLOCK]
    assert stored.status == MeetingStatus.MET


def test_old_and_repeated_clicks_are_harmless(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = followup(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(message, MENTEE, action_id="meeting.skip")
    tandem.emulator.wait_for("chat.update")
    [skipped] = [m for m in meetings(tandem, ref.pair_id) if m.status == MeetingStatus.SKIPPED]
    assert "Skipped" in tandem.emulator.message(ref.home_channel_id, message["ts"])["text"]
    # A second click on the old buttons (the message was already updated on screen elsewhere).
    tandem.slack.click(MENTOR, "meeting.skip", value=str(skipped.id))
    # Changing your mind is allowed: it did happen after all.
    tandem.slack.click(MENTOR, "meeting.met", value=str(skipped.id))
    opened_modal(tandem, MENTOR)
    assert meeting_row(tandem, skipped.id).status == MeetingStatus.MET
    tandem.slack.click(MENTEE, "meeting.skip", value=str(skipped.id))
    [reply] = tandem.emulator.wait_for(
        lambda c: c.method == "response_url" and "already marked as met" in c.args.get("text", "")
    )
    assert reply.args["response_type"] == "ephemeral"
    assert meeting_row(tandem, skipped.id).status == MeetingStatus.MET
    tandem.slack.click(MENTEE, "meeting.met", value="not-a-number")
    tandem.emulator.wait_for(
        lambda c: c.method == "response_url" and "couldn't find" in c.args.get("text", "")
    )


def test_rescheduled_moves_only_that_meeting_to_a_time_in_my_timezone(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = followup(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(message, MENTEE, action_id="meeting.move")
    view = opened_modal(tandem, MENTEE)
    assert view["callback_id"] == "meeting.move"
    past = tandem.slack.submit_view(MENTEE, view, {DATE_BLOCK: "2026-03-09", TIME_BLOCK: "08:00"})
    assert "already passed" in past.json["errors"][DATE_BLOCK]
    # Wednesday 11 March, 09:00 in New York (EDT since 8 March) = 13:00 UTC.
    tandem.slack.submit_view(MENTEE, view, {DATE_BLOCK: "2026-03-11", TIME_BLOCK: "09:00"})
    moved = next(m for m in meetings(tandem, ref.pair_id) if m.occurrence_at == MEETING)
    assert (moved.starts_at, moved.status) == (utc(2026, 3, 11, 13), MeetingStatus.SCHEDULED)
    later = [m.starts_at for m in meetings(tandem, ref.pair_id) if m.starts_at > moved.starts_at]
    assert later == [utc(2026, 3, 16, 9)]  # the rhythm goes on
    [notice] = queued(tandem, keys.MOVED)
    assert "Moved" in notice.text and notice.channel == ref.home_channel_id
    # The moved meeting gets its own reminders and follow-up at the new time.
    tandem.run_due(utc(2026, 3, 11, 12))
    reminders = [r for r in queued(tandem, keys.REMINDER) if f":{moved.id}.1:" in r.key]
    assert {r.recipient_user_id for r in reminders} == {MENTOR, MENTEE}
    tandem.run_due(utc(2026, 3, 11, 13, 45))
    assert keys.followup_key(moved) in {r.key for r in queued(tandem, keys.FOLLOWUP)}


def test_tandem_log_records_an_off_schedule_meeting(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.clock.set(utc(2026, 3, 4, 15))
    tandem.slack.command(MENTEE, "log")
    view = opened_modal(tandem, MENTEE)
    future = tandem.slack.submit_view(MENTEE, view, {DATE_BLOCK: "2026-03-05", TIME_BLOCK: "09:00"})
    assert "future" in future.json["errors"][DATE_BLOCK]
    tandem.slack.submit_view(
        MENTEE,
        view,
        {DATE_BLOCK: "2026-03-04", TIME_BLOCK: "08:30", **NOTES},
    )
    with tandem.session() as session:
        logged = session.exec(select(Meeting).where(Meeting.status == MeetingStatus.MET)).one()
        assert logged.occurrence_at is None
        assert logged.starts_at == utc(2026, 3, 4, 13, 30)  # 08:30 in New York
        assert logged.next_actions == NOTES[ACTIONS_BLOCK]
    [notice] = queued(tandem, keys.LOGGED)
    assert notice.channel == ref.home_channel_id and "Noah logged" in notice.text
    assert NOTES[DISCUSSED_BLOCK] not in notice.text  # notes stay in the modal
    # The scheduled meeting on the 9th is still on.
    assert utc(2026, 3, 9, 9) in [m.starts_at for m in meetings(tandem, ref.pair_id)]


def test_skipping_ahead_from_a_reminder_tells_the_partner_and_stops_the_nudges(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    tandem.run_due(utc(2026, 3, 8, 12))  # the day-before reminders (mentee's after 08:00 EDT)
    [reminder] = [
        m
        for m in tandem.emulator.messages(MENTOR)
        if any(b.get("block_id") == "meeting.reminder" for b in m["blocks"] or [])
    ]
    assert "Mentoring with Noah, Mon 9 Mar, 10:00 Europe/Berlin" in str(reminder["blocks"])
    tandem.slack.click_button_in(reminder, MENTOR, action_id="meeting.skip")
    tandem.emulator.wait_for("chat.update")
    [skip_notice] = queued(tandem, keys.SKIPPED)
    assert "Maya" in skip_notice.text and skip_notice.channel == ref.home_channel_id
    tandem.run_due(MEETING + timedelta(hours=6))
    assert len(queued(tandem, keys.REMINDER)) == 2  # no hour-before reminders
    assert queued(tandem, keys.FOLLOWUP) == []  # and no "did you meet?"
