"""Meeting notes by author, private notes, and `/tandem notes` browsing past meetings."""

from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.meetings.blocks.modals import ACTIONS_BLOCK, DISCUSSED_BLOCK, LESSON_BLOCK, PRIVATE_BLOCK
from storage.models import Meeting, MeetingNote, MeetingStatus
from tests.meetings.helpers import utc, weekly_pair
from tests.meetings.test_meeting_followup import followup, opened_modal
from tests.support.harness import ADMIN, MENTEE, MENTOR, OUTSIDER, Harness


def met_and_noted(tandem: Harness, home: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The mentor clicks Met on the follow-up and writes notes (shared and private)."""
    message = followup(tandem, home)
    tandem.slack.click_button_in(message, MENTOR, action_id="meeting.met")
    view = opened_modal(tandem, MENTOR)
    answer = tandem.slack.submit_view(
        MENTOR,
        view,
        {
            DISCUSSED_BLOCK: "Splitting the Q3 launch.",
            ACTIONS_BLOCK: "Noah drafts the plan.",
            PRIVATE_BLOCK: "He seemed tired; ask about workload.",
        },
    )
    assert answer.ok and answer.body.strip() == "", answer.body
    return message, view


def notes_reply(tandem: Harness, user: str, text: str = "notes") -> dict[str, Any]:
    """`/tandem notes` as `user`: the ephemeral answer (in the command's ack)."""
    response = tandem.slack.command(user, text)
    assert response.ok
    return response.json


def test_each_author_keeps_a_part_and_private_notes_stay_with_their_author(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    message, _ = met_and_noted(tandem, ref.home_channel_id)
    current = tandem.emulator.message(ref.home_channel_id, message["ts"])
    tandem.slack.click_button_in(current, MENTEE, action_id="meeting.notes")
    view = opened_modal(tandem, MENTEE, count=2)
    shown = str(view["blocks"])
    assert "Splitting the Q3 launch." in shown
    assert "workload" not in shown  # the mentor's private notes never reach the mentee
    assert "|Mon 9 Mar, 05:00 America/New_York>" in shown  # the meeting on his own clock
    tandem.slack.submit_view(
        MENTEE,
        view,
        {DISCUSSED_BLOCK: "Milestones for the launch.", PRIVATE_BLOCK: "I over-commit."},
    )
    with tandem.session() as session:
        notes = session.exec(select(MeetingNote).order_by(MeetingNote.id)).all()
        meeting = session.exec(select(Meeting).where(Meeting.status == MeetingStatus.MET)).one()
    assert [(n.private, n.discussed) for n in notes] == [
        (False, "Splitting the Q3 launch."),
        (True, "He seemed tired; ask about workload."),
        (False, "Milestones for the launch."),
        (True, "I over-commit."),
    ]
    assert meeting.discussed == "Maya: Splitting the Q3 launch.\nNoah: Milestones for the launch."

    mine = str(notes_reply(tandem, MENTOR))
    assert "ask about workload" in mine and "I over-commit" not in mine
    assert "Milestones for the launch." in mine and "Noah drafts the plan." in mine
    theirs = str(notes_reply(tandem, MENTEE))
    assert "I over-commit" in theirs and "workload" not in theirs


def test_admins_and_outsiders_never_see_notes(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    met_and_noted(tandem, ref.home_channel_id)
    for user in (ADMIN, OUTSIDER):
        answer = str(notes_reply(tandem, user))
        assert "Splitting" not in answer and "workload" not in answer
        assert "not in an active mentoring pair" in answer
        tandem.slack.click(user, "meeting.notes.page", value=f"{ref.pair_id}:0")
    replies = tandem.emulator.wait_for("response_url", count=2)
    assert all("couldn't find those notes" in c.args["text"] for c in replies)


def test_a_private_note_over_slacks_limit_is_a_field_error_and_nothing_is_saved(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)
    message = followup(tandem, ref.home_channel_id)
    tandem.slack.click_button_in(message, MENTOR, action_id="meeting.met")
    view = opened_modal(tandem, MENTOR)
    tandem.slack.close_view(MENTOR, view)  # a crafted request skips Slack's own max_length
    forged = {**view, "id": "VFORGEDNOTE"}
    for block in forged["blocks"]:
        (block.get("element") or {}).pop("max_length", None)
    answer = tandem.slack.submit_view(
        MENTOR, forged, {DISCUSSED_BLOCK: "Fine.", PRIVATE_BLOCK: "x" * 3001}
    )
    assert answer.json["response_action"] == "errors"
    assert "3,000 characters (it has 3,001)" in answer.json["errors"][PRIVATE_BLOCK]
    with tandem.session() as session:
        assert session.exec(select(MeetingNote)).all() == []


def test_notes_are_browsed_newest_first_a_page_at_a_time(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.start = None  # type: ignore[attr-defined]
    for week in range(7):
        at = utc(2026, 3, 9, 13) + timedelta(weeks=week)
        tandem.run_due(at)
        view_count = len(tandem.emulator.calls("views.open"))
        found = [
            m
            for m in tandem.emulator.messages(ref.home_channel_id)
            if any(b.get("block_id") == "meeting.followup" for b in m["blocks"] or [])
        ]
        tandem.slack.click_button_in(found[-1], MENTEE, action_id="meeting.met")
        view = opened_modal(tandem, MENTEE, count=view_count + 1)
        tandem.slack.submit_view(
            MENTEE, view, {DISCUSSED_BLOCK: f"Week {week + 1} talk.", LESSON_BLOCK: "Kept."}
        )
    first = notes_reply(tandem, MENTEE)
    text = str(first["blocks"])
    assert [f"Week {n} talk." in text for n in (7, 6, 5, 4, 3, 2, 1)] == [True] * 5 + [False] * 2
    assert text.index("Week 7 talk.") < text.index("Week 3 talk.")
    assert "Page 1 of 2" in text
    # The reply is ephemeral; Slack sends the button's value back.
    tandem.slack.click(MENTEE, "meeting.notes.page", value=f"{ref.pair_id}:1")
    [older] = tandem.emulator.wait_for("response_url")
    assert older.args["replace_original"] in (True, "true")
    page_two = str(older.args["blocks"])
    assert "Week 2 talk." in page_two and "Week 1 talk." in page_two
    assert "Week 3 talk." not in page_two and "Page 2 of 2" in page_two
