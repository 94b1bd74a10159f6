"""Snoozing a nudge: the same message again a day later, for whoever it was for."""

import copy
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.core.membership import Refusals, guard
from bot.core.results import Refused
from bot.delivery.blocks import SNOOZE_ACTION_PREFIX
from bot.delivery.service import queue_again
from bot.meetings.blocks.messages import SNOOZE
from storage.models import PairStatus
from storage.queries.delivery import outbox_row

DELAY = timedelta(days=1)
GONE = "That reminder can't be snoozed any more."
PAUSED = "Your mentorship is paused, so there is nothing to snooze until it resumes."
NOT_ACTIVE = "That mentorship isn't active any more, so there is nothing to snooze."
REFUSALS = Refusals(
    GONE, {status: PAUSED if status == PairStatus.PAUSED else NOT_ACTIVE for status in PairStatus}
)


def _with_snooze_key(blocks: list[dict[str, Any]] | None, key: str) -> list[dict[str, Any]] | None:
    """The blocks, with the Snooze button now naming the copy (so it can be snoozed again)."""
    blocks = copy.deepcopy(blocks)
    for block in blocks or []:
        for element in block.get("elements") or []:
            action = str(element.get("action_id") or "")
            if action == SNOOZE or action.startswith(SNOOZE_ACTION_PREFIX):
                element["value"] = key
    return blocks


def snooze(
    session: Session,
    team_id: str,
    user_id: str,
    key: str,
    now: datetime,
    until: datetime | None = None,
) -> datetime | Refused:
    """Queue the nudge `key` again at `until` (default: a day from now); returns when. Only
    its recipient (or, for a post to the pair, either member) may; clicking twice snoozes once.
    A message that no longer exists (erased, or its pair gone) is answered kindly."""
    row = outbox_row(session, team_id, key)
    if row is None or row.pair_id is None:
        return Refused(GONE)
    if row.recipient_user_id is not None and row.recipient_user_id != user_id:
        return Refused(GONE)
    membership = guard(session, team_id, user_id, row.pair_id, REFUSALS, (PairStatus.ACTIVE,))
    if isinstance(membership, Refused):
        return membership
    when = until or now + DELAY
    if row.expires_at is not None and when >= row.expires_at:
        return Refused("That would be too late for this one, so I'll leave it as it is.")
    again = f"snooze:{row.id}"
    blocks = _with_snooze_key(row.blocks, again)
    return queue_again(session, row, key=again, deliver_after=when, blocks=blocks)
