"""The open question in the mentor's meeting reminder, and its "Another question" button."""

from typing import Any

from bot.core.kit import button, clip, mrkdwn_escape, section
from bot.meetings.question_rules import Question

QUESTION_BLOCK = "meeting.question"
ANOTHER_QUESTION = "meeting.question.another"
REMINDER_ACTIONS = "meeting.reminder"  # the reminder's buttons (blocks/messages.py)
LEADS = {"question": "A question you could ask", "frame": "A different frame to offer"}


def question_block(pair_id: int, question: Question, partner: str) -> dict[str, Any]:
    """A section with the question and, beside it, "Another question" (value: the pair and
    the question shown, so the next pick skips it)."""
    lead = LEADS.get(question.kind, LEADS["question"])
    who = mrkdwn_escape(clip(partner, 80))
    return section(
        f":thought_balloon: *{lead} {who}:*\n>{mrkdwn_escape(question.text)}",
        block_id=QUESTION_BLOCK,
        accessory=button("Another question", ANOTHER_QUESTION, f"{pair_id}:{question.id}"),
    )


def placed(blocks: list[dict[str, Any]], block: dict[str, Any]) -> list[dict[str, Any]]:
    """`blocks` with the question `block` in its place: replacing the one shown, else just
    above the reminder's buttons, else at the end."""
    ids = [b.get("block_id") for b in blocks]
    if QUESTION_BLOCK in ids:
        at = ids.index(QUESTION_BLOCK)
        return [*blocks[:at], block, *blocks[at + 1 :]]
    at = ids.index(REMINDER_ACTIONS) if REMINDER_ACTIONS in ids else len(blocks)
    return [*blocks[:at], block, *blocks[at:]]
