"""Who may open or sign a pair's charter: only its two members, whatever the pair's status
(history stays readable); outsiders learn nothing, not even that the pair exists."""

from sqlmodel import Session

from bot.core.membership import Membership, guard
from bot.core.results import Refused


def member_of(
    session: Session, team_id: str, user_id: str, pair_id: int | None
) -> Membership | Refused:
    """`user_id`'s membership of pair `pair_id`; NOT_FOUND when missing or not theirs."""
    return guard(session, team_id, user_id, pair_id)
