"""Who may answer a proposal: only the two people proposed, and only while it is open."""

from sqlmodel import Session

from bot.core.membership import Membership, Refusals, guard
from bot.core.results import Refused
from storage.models import PairStatus
from storage.queries.pairs import pair_for_update

PAIRED = "You and {partner} are already paired, so there's nothing to answer."
ANSWERABLE = Refusals(
    by_status={
        PairStatus.ACTIVE: PAIRED,
        PairStatus.PAUSED: PAIRED,
        PairStatus.DECLINED: "This proposal with {partner} is closed; it won't go ahead.",
        PairStatus.EXPIRED: "This proposal with {partner} expired unanswered; it won't go ahead.",
        PairStatus.ENDED: "Your mentorship with {partner} has ended, so this button does nothing.",
    }
)


def answerable(
    session: Session, team_id: str, user_id: str, pair_id: int | None
) -> Membership | Refused:
    """The clicker's membership, with the pair row locked, if the proposal awaits their answer."""
    pair = pair_for_update(session, pair_id, team_id) if pair_id is not None else None
    pair_id = pair.id if pair is not None else None
    return guard(session, team_id, user_id, pair_id, ANSWERABLE, (PairStatus.PROPOSED,))
