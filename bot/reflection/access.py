"""Who may act on a pair: only its two members, and outsiders learn nothing."""

from sqlmodel import Session

from bot.core.membership import LIVE, Membership, Refusals, guard
from bot.core.results import FieldErrors, Refused
from storage.models import PairStatus

# Said for a pair that does not exist and for one the person is not in: the same words,
# so an outsider cannot tell the two apart.
NOT_YOURS = "I couldn't find that mentorship among yours. Nothing was changed."
NOT_STARTED = "This mentorship hasn't started yet: it begins when both of you have accepted."
PAUSED = "Your mentorship is paused. Resume it with `/tandem resume` first."
ENDED = "This mentorship has ended, so there is nothing more to do here. Your history stays."


REFUSALS = Refusals(
    NOT_YOURS,
    {PairStatus.ENDED: ENDED, PairStatus.PROPOSED: NOT_STARTED, PairStatus.PAUSED: PAUSED},
)


def member_of(
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    statuses: tuple[str, ...] = LIVE,
) -> Membership | Refused:
    """`user_id`'s membership of pair `pair_id` if it has one of `statuses`, else why not."""
    return guard(session, team_id, user_id, pair_id, REFUSALS, statuses)


def member_for_draft(
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    choose: str,
    errors: dict[str, str] | None = None,
) -> Membership | FieldErrors | Refused:
    """The membership a submitted modal is about: none picked asks to `choose` one, an outsider
    is refused, and the draft's own `errors` (found without the pair) come after both."""
    if pair_id is None:
        return FieldErrors({"pair": choose})
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused) or not errors:
        return membership
    return FieldErrors(errors)
