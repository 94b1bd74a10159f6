"""Who may act on a pair: only its two members, and outsiders learn nothing."""

from sqlmodel import Session

from bot.core.membership import LIVE, Membership, membership_in
from bot.core.results import Refused
from storage.models import PairStatus

# Said for a pair that does not exist and for one the person is not in: the same words,
# so an outsider cannot tell the two apart.
NOT_YOURS = "I couldn't find that mentorship among yours. Nothing was changed."
NOT_STARTED = "This mentorship hasn't started yet: it begins when both of you have accepted."
PAUSED = "Your mentorship is paused. Resume it with `/tandem resume` first."
ENDED = "This mentorship has ended, so there is nothing more to do here. Your history stays."


def member_of(
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    statuses: tuple[str, ...] = LIVE,
) -> Membership | Refused:
    """`user_id`'s membership of pair `pair_id` if it has one of `statuses`, else why not."""
    membership = membership_in(session, pair_id, team_id, user_id) if pair_id else None
    if membership is None:
        return Refused(NOT_YOURS)
    if membership.pair.status not in statuses:
        if membership.pair.status == PairStatus.ENDED:
            return Refused(ENDED)
        if membership.pair.status == PairStatus.PROPOSED:
            return Refused(NOT_STARTED)
        if membership.pair.status == PairStatus.PAUSED:
            return Refused(PAUSED)
        return Refused(NOT_YOURS)
    return membership
