"""The open question in the mentor's meeting reminder: chosen when the reminder is queued,
and replaced in place by "Another question" (rules: bot/meetings/question_rules.py).

Only the mentor's reminder carries one: asking powerful questions is the mentor's part. The
pair's last question id is stored on the pair, so the next reminder (or the next click)
never shows the same question twice in a row. Choosing needs no statement of its own: the
producer has the pairs and their charters loaded for the whole batch already; the pairs
whose mentor got a reminder are written back in the batch's one flush (one UPDATE).
"""

from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.kit import BlockKitLimitError, checked_message, clip
from bot.core.results import Refused, Reply, Result
from bot.meetings.access import member_of
from bot.meetings.blocks.question import QUESTION_BLOCK, placed, question_block
from bot.meetings.members import name_of
from bot.meetings.question_bank import question_bank
from bot.meetings.question_rules import Question, next_question
from storage.models import CharterVersion, Pair
from storage.queries.charter import current_charter

MENTOR_ONLY = "Questions to ask are in the mentor's reminder, so only the mentor can change them."
GONE = "That reminder is no longer here, so there is nothing to change."


def _pick(pair: Pair, focus_areas: list[str], shown_id: str | None = None) -> Question | None:
    question = next_question(
        question_bank(), pair.stage, focus_areas, pair.last_question_id, pair.id or 0, shown_id
    )
    if question is not None:
        pair.last_question_id = question.id
    return question


def with_question(
    message: dict[str, Any], pair: Pair, charter: CharterVersion | None, partner: str
) -> dict[str, Any]:
    """The mentor's reminder `message` with the pair's next question (stored as its last)."""
    question = _pick(pair, list(charter.focus_areas) if charter else [])
    if question is None:
        return message
    blocks = placed(list(message["blocks"]), question_block(pair.id or 0, question, partner))
    return {**message, "blocks": checked_message(blocks)}


def another_question(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    value: str,
    message: dict[str, Any],
) -> Result:
    """ "Another question": the reminder `message` (as Slack sent it with the click) with a
    new question in place of the one shown; only the pair's mentor may ask."""
    pair_id, _, shown_id = value.partition(":")
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    pair = membership.pair
    if membership.me.id != pair.mentor_id:
        return Refused(MENTOR_ONLY)
    blocks = message.get("blocks")
    if not _redrawable(blocks):
        return Refused(GONE)
    charter = current_charter(session, pair.id or 0)
    question = _pick(pair, list(charter.focus_areas) if charter else [], shown_id or None)
    if question is None:
        return Reply()
    session.add(pair)
    block = question_block(pair.id or 0, question, name_of(membership.partner))
    text = clip(str(message.get("text") or "Your mentoring reminder"), 3000)
    return Reply(update={"text": text, "blocks": checked_message(placed(blocks, block))})


def _redrawable(blocks: object) -> bool:
    """Whether `blocks` (the clicked message's, as Slack sent them) are a message Tandem could
    redraw: blocks Slack accepts, with the question in them."""
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        return False
    if not any(b.get("block_id") == QUESTION_BLOCK for b in blocks):
        return False
    try:
        checked_message(blocks)
    except BlockKitLimitError:
        return False
    return True
