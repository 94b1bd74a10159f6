"""The open question in the mentor's meeting reminder: fitted to the pair, never the same
twice in a row, replaced in place by "Another question"; the mentee's reminder has none."""

from typing import Any

from bot.meetings.blocks.question import ANOTHER_QUESTION, QUESTION_BLOCK
from bot.meetings.question_bank import question_by_id
from storage.models import Pair
from tests.meetings.helpers import utc, weekly_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, Harness

DAY_BEFORE = utc(2026, 3, 8, 9)  # the Sunday before Monday 9 March, 10:00 Berlin
WEEK_AFTER = utc(2026, 3, 15, 9)
MORNING = utc(2026, 3, 8, 14)  # the mentee's reminder, held for their quiet hours, is out


def reminders(tandem: Harness, user_id: str) -> list[dict[str, Any]]:
    return [
        m
        for m in tandem.emulator.messages(user_id)
        if any(b.get("block_id") == "meeting.reminder" for b in m["blocks"] or [])
    ]


def question_in(message: dict[str, Any]) -> tuple[str, str]:
    """(the question's id, as the button carries it; the text shown)."""
    [block] = [b for b in message["blocks"] if b.get("block_id") == QUESTION_BLOCK]
    value = block["accessory"]["value"]
    return value.partition(":")[2], block["text"]["text"]


def last_question(tandem: Harness, pair_id: int) -> str | None:
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None
        return pair.last_question_id


def test_only_the_mentors_reminder_carries_a_question_fitted_to_the_pair(
    tandem: Harness,
) -> None:
    ref = weekly_pair(tandem)  # focus: system design, stakeholders, career
    tandem.run_due(DAY_BEFORE)
    tandem.run_due(MORNING)
    [mine] = reminders(tandem, MENTOR)
    [theirs] = reminders(tandem, MENTEE)
    question_id, shown = question_in(mine)
    question = question_by_id(question_id)
    assert question is not None
    assert question.stage == "skill_building"  # a new pair's stage
    assert question.area in {"general", "craft", "influence", "career"}
    assert "you could ask Noah" in shown or "to offer Noah" in shown
    assert question.text.replace("'", "&#x27;") in shown or question.text in shown
    # The question sits above the reminder's buttons; the rest of the reminder is as it was.
    ids = [b.get("block_id") for b in mine["blocks"]]
    assert ids.index(QUESTION_BLOCK) == ids.index("meeting.reminder") - 1
    assert all(b.get("block_id") != QUESTION_BLOCK for b in theirs["blocks"])
    assert "Another question" not in str(theirs["blocks"])
    assert last_question(tandem, ref.pair_id) == question_id


def test_the_next_reminder_asks_something_else_and_follows_the_stage(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.run_due(DAY_BEFORE)
    first, _ = question_in(reminders(tandem, MENTOR)[-1])
    tandem.slack.command(MENTOR, "stage career strategy")
    tandem.run_due(utc(2026, 3, 9, 10))  # the meeting began: the next one is scheduled
    tandem.run_due(WEEK_AFTER)
    assert len(reminders(tandem, MENTOR)) == 2
    second, _ = question_in(reminders(tandem, MENTOR)[-1])
    assert second != first
    picked = question_by_id(second)
    assert picked is not None and picked.stage == "career_strategy"
    assert last_question(tandem, ref.pair_id) == second


def test_another_question_replaces_it_in_place_never_the_one_before(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.run_due(DAY_BEFORE)
    reminder = reminders(tandem, MENTOR)[-1]
    seen = [question_in(reminder)[0]]
    for turn in range(1, 4):
        tandem.slack.click_button_in(reminder, MENTOR, action_id=ANOTHER_QUESTION)
        tandem.emulator.wait_for("chat.update", count=turn)
        reminder = tandem.emulator.message(MENTOR, reminder["ts"])
        assert reminder is not None
        now_shown = question_in(reminder)[0]
        assert now_shown != seen[-1]
        seen.append(now_shown)
        assert last_question(tandem, ref.pair_id) == now_shown
    # Still one reminder, still with its agenda and buttons, the question in the same place.
    assert len(reminders(tandem, MENTOR)) == 1
    ids = [b.get("block_id") for b in reminder["blocks"]]
    assert ids.count(QUESTION_BLOCK) == 1 and "meeting.reminder" in ids
    assert "Agenda so far" in str(reminder["blocks"])


def test_only_the_mentor_can_change_the_question_and_only_in_the_reminder(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    tandem.run_due(DAY_BEFORE)
    shown = question_in(reminders(tandem, MENTOR)[-1])[0]
    value = f"{ref.pair_id}:{shown}"
    tandem.slack.click(MENTEE, ANOTHER_QUESTION, value=value)
    tandem.slack.click(OUTSIDER, ANOTHER_QUESTION, value=value)
    # The mentor's click without the reminder around it (an old copy, a crafted payload).
    tandem.slack.click(MENTOR, ANOTHER_QUESTION, value=value)
    tandem.emulator.wait_for("response_url", count=3)
    said = [m["text"] for m in tandem.emulator.ephemeral_messages()]
    assert any("only the mentor can change them" in text for text in said)
    assert any("couldn't find that meeting" in text for text in said)
    assert any("no longer here" in text for text in said)
    assert tandem.emulator.calls("chat.update") == []
    assert last_question(tandem, ref.pair_id) == shown
