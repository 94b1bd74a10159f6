"""Moving a goal forward: ticking milestones (a Done button or the update modal) and posting
progress updates the partner sees in the group DM."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id, parse_ids
from bot.core.modal_state import ModalState
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.service import post_to_pair
from bot.goals import form_rules
from bot.goals.access import GoalAccess, goal_for_member
from bot.goals.blocks.messages import parse_tick_value, update_message
from bot.goals.celebrations import celebrate_milestone
from bot.goals.changes import follow_change, record_event, render_goal
from storage.models import GoalStatus, GoalUpdate, Milestone
from storage.queries.goals import milestones_of, set_milestone_done

UPDATE_KIND = "goal.update"


def tick_milestone(
    ctx: Tandem, session: Session, access: GoalAccess, milestone: Milestone, now: datetime
) -> bool:
    """Mark `milestone` done; True if this call did it (a second click changes nothing)."""
    me = access.membership.me
    ticked = set_milestone_done(session, milestone.id or 0, now, me.id)
    session.refresh(milestone)
    if not ticked:
        return False
    goal = access.goal
    goal.updated_at = now
    session.add(goal)
    record_event(session, goal, me.id or 0, "milestone_done", now, milestone.title)
    celebrate_milestone(ctx, session, access.membership.pair, goal, milestone, now)
    return True


def untick_milestone(
    session: Session, access: GoalAccess, milestone: Milestone, now: datetime
) -> bool:
    """Mark `milestone` not done again (its celebration, if any, is never repeated)."""
    unticked = set_milestone_done(session, milestone.id or 0, None, None)
    session.refresh(milestone)
    if unticked:
        me_id = access.membership.me.id or 0
        record_event(session, access.goal, me_id, "milestone_undone", now, milestone.title)
    return bool(unticked)


def click_done(ctx: Tandem, session: Session, team_id: str, user_id: str, value: str) -> Result:
    """A Done button on a goal's message: tick the milestone if the clicker is in the pair,
    the milestone belongs to the goal and the goal is still active."""
    ids = parse_tick_value(value)
    access = goal_for_member(session, team_id, user_id, ids[0] if ids else None)
    if isinstance(access, Refused):
        return access
    assert ids is not None
    goal = access.goal
    milestone = session.get(Milestone, ids[1])
    if milestone is None or milestone.goal_id != goal.id:
        gone = "That milestone is no longer on this goal."
        return Reply(update=render_goal(session, goal), text=gone)
    if goal.status != GoalStatus.ACTIVE:
        note = f"This goal is {goal.status}, so its milestones can't be ticked."
        return Reply(update=render_goal(session, goal), text=note)
    tick_milestone(ctx, session, access, milestone, ctx.clock.now())
    session.flush()
    return Reply(update=render_goal(session, goal), queued=True)


def _milestone_changes(
    draft: form_rules.UpdateDraft, metadata: dict[str, Any], milestones: list[Milestone]
) -> tuple[list[Milestone], list[Milestone]]:
    """(to tick, to untick): only what the person changed in the form, so a milestone the
    partner ticked while the modal was open is left alone."""
    if draft.checked_milestone_ids is None:
        return [], []
    shown_done = parse_ids(metadata.get("done")) if metadata.get("goal") == draft.goal_id else set()
    checked = draft.checked_milestone_ids
    tick = [m for m in milestones if m.id in checked and m.id not in shown_done]
    untick = [m for m in milestones if m.id in shown_done and m.id not in checked]
    return tick, untick


def post_update(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    values: ModalState,
    metadata: dict[str, Any],
) -> Result:
    """Save a progress update from the modal, tick or untick milestones, and queue the update
    for the group DM. Returns the goal message to edit once committed (if already posted)."""
    picked = parse_id(form_rules.option_value(values, form_rules.UPDATE_GOAL))
    if picked is None:
        return form_rules.parse_update_form(values, None)  # asks for a goal, with any other errors
    access = goal_for_member(session, team_id, user_id, picked)
    if isinstance(access, Refused):
        return access
    draft = form_rules.parse_update_form(values, picked)
    if isinstance(draft, FieldErrors):
        return draft
    goal = access.goal
    if goal.status != GoalStatus.ACTIVE:
        return FieldErrors({form_rules.UPDATE_GOAL: f"This goal is {goal.status}: choose another."})
    now = ctx.clock.now()
    me = access.membership.me
    milestones = milestones_of(session, goal.id or 0)
    tick, untick = _milestone_changes(draft, metadata, milestones)
    previous = goal.percent
    entry = GoalUpdate(
        team_id=team_id,
        goal_id=goal.id or 0,
        author_id=me.id or 0,
        percent=draft.percent,
        happened=draft.happened,
        next_steps=draft.next_steps,
        blockers=draft.blockers,
        is_experiment=draft.is_experiment,
        hypothesis=draft.hypothesis,
        tried=draft.tried,
        result=draft.result,
        created_at=now,
    )
    session.add(entry)
    goal.percent = draft.percent
    goal.updated_at = now
    session.add(goal)
    session.flush()
    kind = "experiment" if draft.is_experiment else "progress"
    record_event(session, goal, me.id or 0, kind, now, f"{previous}% → {draft.percent}%")
    # The update goes first, so the cheers for its milestones follow it in the group DM.
    post_to_pair(
        session,
        access.membership.pair,
        key=f"{UPDATE_KIND}:{goal.pair_id}:{entry.id}",
        kind=UPDATE_KIND,
        deliver_after=now,
        **update_message(goal, entry, me, previous, [m for m in tick if m.done_at is None]),
    )
    for milestone in tick:
        tick_milestone(ctx, session, access, milestone, now)
    for milestone in untick:
        untick_milestone(session, access, milestone, now)
    return follow_change(session, goal)
