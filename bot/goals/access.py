"""Who may act on a goal: only the two members of its pair, and only while the pair lives."""

from dataclasses import dataclass

from sqlmodel import Session

from bot.core.membership import LIVE, Membership, Refusals, guard
from bot.core.results import Refused
from storage.models import Goal, PairStatus
from storage.queries.goals import goal_in_team

# The same words for a goal that does not exist and one that is someone else's:
# an outsider learns nothing, not even that the goal exists.
NOT_YOURS = "Nothing changed: I couldn't find that goal among yours."
PAIR_ENDED = (
    "This mentorship has ended, so its goals can't change any more. They stay in your history."
)
REFUSALS = Refusals(NOT_YOURS, {status: PAIR_ENDED for status in PairStatus if status not in LIVE})


@dataclass(frozen=True)
class GoalAccess:
    """A goal, and the membership of the person acting on it."""

    goal: Goal
    membership: Membership


def goal_for_member(
    session: Session, team_id: str, user_id: str, goal_id: int | None
) -> GoalAccess | Refused:
    """The goal `goal_id` if `user_id` is one of its pair and the pair is active or paused."""
    goal = goal_in_team(session, team_id, goal_id) if goal_id is not None else None
    if goal is None:
        return Refused(NOT_YOURS)
    membership = guard(session, team_id, user_id, goal.pair_id, REFUSALS, LIVE)
    return membership if isinstance(membership, Refused) else GoalAccess(goal, membership)
