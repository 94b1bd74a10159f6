"""Completing, pausing, resuming and dropping a goal; each change is kept in its history."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.modal_state import ModalState
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.service import post_to_pair
from bot.goals import form_rules
from bot.goals.access import GoalAccess, goal_for_member
from bot.goals.blocks.messages import status_note
from bot.goals.celebrations import celebrate_goal
from bot.goals.changes import follow_change, record_event, render_goal
from storage.models import Goal, GoalStatus
from storage.queries.goals import update_goal_if

STATUS_KIND = "goal.status"


@dataclass(frozen=True)
class Transition:
    allowed_from: tuple[str, ...]
    to: str
    event: str


TRANSITIONS = {
    "complete": Transition(
        (GoalStatus.ACTIVE, GoalStatus.PAUSED), GoalStatus.COMPLETED, "completed"
    ),
    "pause": Transition((GoalStatus.ACTIVE,), GoalStatus.PAUSED, "paused"),
    "resume": Transition((GoalStatus.PAUSED,), GoalStatus.ACTIVE, "resumed"),
    "drop": Transition((GoalStatus.ACTIVE, GoalStatus.PAUSED), GoalStatus.DROPPED, "dropped"),
}


def _cannot(goal: Goal, change: str) -> Refused:
    wanted = TRANSITIONS[change].event
    return Refused(f"This goal is {goal.status} now, so it can't be {wanted}. Nothing changed.")


def change_status(
    ctx: Tandem, session: Session, access: GoalAccess, change: str, reason: str, now: datetime
) -> bool:
    """Move the goal to its new status if it is still in a state that allows it; True when
    this call changed it (of two clicks at once, one wins and the other changes nothing)."""
    transition = TRANSITIONS[change]
    goal = access.goal
    values: dict[str, Any] = {"status": transition.to, "status_reason": reason, "updated_at": now}
    if transition.to == GoalStatus.COMPLETED:
        values.update(completed_at=now, percent=100)
    changed = update_goal_if(session, goal.id or 0, transition.allowed_from, values)
    session.refresh(goal)
    if not changed:
        return False
    me = access.membership.me
    event = record_event(session, goal, me.id or 0, transition.event, now, reason)
    pair = access.membership.pair
    if transition.to == GoalStatus.COMPLETED:
        celebrate_goal(ctx, session, pair, goal, now)
    else:
        post_to_pair(
            session,
            pair,
            key=f"{STATUS_KIND}:{pair.id}:{goal.id}:{event.id}",
            kind=STATUS_KIND,
            deliver_after=now,
            **status_note(goal, me, change),
        )
    return True


def goal_for_change(
    session: Session, team_id: str, user_id: str, goal_id: int | None, change: str
) -> Goal | Refused:
    """The goal a Complete/Pause/Drop button is about, if the clicker may change it now."""
    access = goal_for_member(session, team_id, user_id, goal_id)
    if isinstance(access, Refused):
        return access
    if access.goal.status not in TRANSITIONS[change].allowed_from:
        return _cannot(access.goal, change)
    return access.goal


def submit_status_change(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    values: ModalState,
    metadata: dict[str, Any],
) -> Result:
    """The status modal's submission: complete, pause or drop with a reason (needed to drop).
    Returns the goal message to edit once committed."""
    change = metadata.get("change")
    goal_id = parse_id(metadata.get("goal"))
    if change not in ("complete", "pause", "drop") or goal_id is None:
        return Refused("Nothing changed: that form is out of date. Please try again.")
    access = goal_for_member(session, team_id, user_id, goal_id)
    if isinstance(access, Refused):
        return access
    reason = form_rules.parse_reason(values, required=change == "drop")
    if isinstance(reason, FieldErrors):
        return reason
    if not change_status(ctx, session, access, change, reason, ctx.clock.now()):
        return _cannot(access.goal, change)
    return follow_change(session, access.goal)


def click_resume(
    ctx: Tandem, session: Session, team_id: str, user_id: str, goal_id: int | None
) -> Result:
    """The Resume button: the goal becomes active again; its message shows it."""
    access = goal_for_member(session, team_id, user_id, goal_id)
    if isinstance(access, Refused):
        return access
    if not change_status(ctx, session, access, "resume", "", ctx.clock.now()):
        return _cannot(access.goal, "resume")
    session.flush()
    return Reply(update=render_goal(session, access.goal), queued=True)
