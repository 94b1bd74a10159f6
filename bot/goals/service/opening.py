"""Which goal modal to open for whom: `/tandem goal`, `/tandem update`, the goal buttons."""

from sqlmodel import Session

from bot.core.membership import Membership, memberships, resolve_pair
from bot.core.results import Refused, Reply, Result
from bot.goals.access import goal_for_member
from bot.goals.blocks import modals
from bot.goals.service.lifecycle import goal_for_change
from storage.models import Goal, GoalStatus
from storage.queries.goals import goals_of_pairs, milestones_of

NO_GOALS = (
    "You don't have an active goal to update yet. Set one with `/tandem goal`: "
    "a title, why it matters, a target date and a few milestones."
)
ONLY_PAUSED = (
    "Your goals are all paused. Resume one with the Resume button on its message in your "
    "pair's conversation, or set a new one with `/tandem goal`."
)


def goal_form(session: Session, team_id: str, user_id: str, args: str) -> Result:
    """The new-goal modal for the pair named in `args`, the only pair, or with a picker."""
    resolved = resolve_pair(session, team_id, user_id, args)
    if isinstance(resolved, Refused):
        return resolved
    if isinstance(resolved, list):
        return Reply(modal=modals.goal_modal(resolved, None))
    return Reply(modal=modals.goal_modal([resolved], resolved))


def _groups(session: Session, mine: list[Membership]) -> list[tuple[Membership, list[Goal]]]:
    active = goals_of_pairs(session, (m.pair.id or 0 for m in mine), (GoalStatus.ACTIVE,))
    return [(m, [g for g in active if g.pair_id == m.pair.id]) for m in mine]


def update_form(
    session: Session, team_id: str, user_id: str, args: str = "", goal_id: int | None = None
) -> Result:
    """The progress modal over the person's active goals (of the pair named in `args`, if
    any), with `goal_id` chosen (or the only goal), or a hint when there is nothing to update."""
    resolved = resolve_pair(session, team_id, user_id, args)
    if isinstance(resolved, Refused):
        return resolved
    mine = resolved if isinstance(resolved, list) else [resolved]
    groups = [(m, goals) for m, goals in _groups(session, mine) if goals]
    if not groups:
        paused = goals_of_pairs(session, (m.pair.id or 0 for m in mine), (GoalStatus.PAUSED,))
        return Refused(ONLY_PAUSED if paused else NO_GOALS)
    offered = [g for _, goals in groups for g in goals]
    selected = next((g for g in offered if g.id == goal_id), None)
    if selected is None and len(offered) == 1:
        selected = offered[0]
    milestones = milestones_of(session, selected.id or 0) if selected else []
    return Reply(modal=modals.update_modal(groups, selected, milestones))


def update_form_for_goal(
    session: Session, team_id: str, user_id: str, goal_id: int | None
) -> Result:
    """The progress modal opened from a goal's "Post progress" button, that goal chosen."""
    access = goal_for_member(session, team_id, user_id, goal_id)
    if isinstance(access, Refused):
        return access
    if access.goal.status != GoalStatus.ACTIVE:
        return Refused(f"This goal is {access.goal.status}, so there's no progress to post.")
    mine = [m for m in memberships(session, team_id, user_id) if m.pair.id == access.goal.pair_id]
    groups = [(m, goals) for m, goals in _groups(session, mine) if goals]
    return Reply(
        modal=modals.update_modal(groups, access.goal, milestones_of(session, access.goal.id or 0))
    )


def status_form(
    session: Session, team_id: str, user_id: str, goal_id: int | None, change: str
) -> Result:
    """The modal to complete, pause or drop a goal, with a reason."""
    goal = goal_for_change(session, team_id, user_id, goal_id, change)
    if isinstance(goal, Refused):
        return goal
    return Reply(modal=modals.status_modal(goal, change))
