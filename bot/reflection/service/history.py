"""A member's reflection history: reviews, stage changes and closing words, ended pairs too."""

from typing import Any

from sqlmodel import Session

from bot.core.membership import memberships
from bot.reflection.blocks.history import history_message
from bot.reflection.service.reviews import seen_by
from storage.models import PairStatus
from storage.queries.reflection import completed_reviews, retrospectives, stage_changes

SHOWN = (PairStatus.ACTIVE, PairStatus.PAUSED, PairStatus.ENDED)
MAX_PAIRS = 5


def reflection_history(session: Session, team_id: str, user_id: str) -> dict[str, Any]:
    """The `/tandem review history` answer for `user_id` (only their own pairs, newest first)."""
    entries = []
    for membership in reversed(memberships(session, team_id, user_id, SHOWN)[-MAX_PAIRS:]):
        pair_id = membership.pair.id or 0
        entries.append(
            (
                membership,
                [seen_by(session, membership, r) for r in completed_reviews(session, pair_id, 3)],
                stage_changes(session, pair_id),
                retrospectives(session, pair_id),
            )
        )
    return history_message(entries)
