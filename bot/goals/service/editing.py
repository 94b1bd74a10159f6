"""Editing a goal: title, why, target date and milestones (added, removed, reordered).

One edit is one history line and one message to the partner, however many fields changed;
the goal's message in the group DM follows. Nothing changed: nothing is written or sent.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import checked_message, context, modal, section
from bot.core.people import person_zone
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.service import enqueue
from bot.goals.access import GoalAccess, goal_for_member
from bot.goals.blocks.inputs import input_block, option, plain, text_input
from bot.goals.blocks.messages import user_text
from bot.goals.changes import follow_change, record_event
from bot.goals.edit_rules import (
    EDIT_TARGET,
    EDIT_TITLE,
    EDIT_WHY,
    GoalContent,
    MilestoneRow,
    changes_between,
    read_edit_form,
    row_due_id,
    row_position_id,
    row_title_id,
)
from bot.goals.form_rules import MAX_MILESTONES, MILESTONE_MAX, TITLE_MAX, WHY_MAX
from storage.models import Goal, GoalStatus, Milestone
from storage.queries.goals import milestones_of

EDIT_CALLBACK = "goal.edit"
EDITED_KIND = "goal.edited"
CLOSED = "This goal is {status}, so it can't be edited any more. It stays in your history."
NOTHING_CHANGED = "Nothing changed, so there was nothing to save."


def content_of(goal: Goal, milestones: list[Milestone]) -> GoalContent:
    """A goal's editable content, milestones in their order."""
    rows = tuple(MilestoneRow(m.id, m.title, m.due_date, m.done_at is not None) for m in milestones)
    return GoalContent(goal.title, goal.why, goal.target_date, rows)


def _initial(element: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {**element, key: value} if value else element


def edit_modal(goal: Goal, milestones: list[Milestone]) -> dict[str, Any]:
    """The edit form, prefilled: each milestone in its row, then empty rows to add more."""
    blocks: list[dict[str, Any]] = [
        input_block(
            EDIT_TITLE, "Goal", _initial(text_input(TITLE_MAX), "initial_value", goal.title)
        ),
        input_block(
            EDIT_WHY,
            "Why it matters",
            _initial(text_input(WHY_MAX, multiline=True), "initial_value", goal.why),
            optional=True,
        ),
        input_block(
            EDIT_TARGET,
            "Target date",
            _initial(
                {"type": "datepicker", "placeholder": plain("When should it be done?")},
                "initial_date",
                goal.target_date.isoformat() if goal.target_date else None,
            ),
            optional=True,
        ),
        section(
            "*Milestones*: empty a title to remove that step; change the numbers to reorder. "
            "Done steps stay done."
        ),
    ]
    rows = milestones[:MAX_MILESTONES]
    positions = [option(str(n), str(n)) for n in range(1, MAX_MILESTONES + 1)]
    for index in range(MAX_MILESTONES):
        shown = rows[index] if index < len(rows) else None
        mark = " ✅" if shown is not None and shown.done_at is not None else ""
        blocks.append(
            input_block(
                row_title_id(index),
                f"Milestone {index + 1}{mark}",
                _initial(text_input(MILESTONE_MAX), "initial_value", shown.title if shown else ""),
                optional=True,
            )
        )
        due = shown.due_date.isoformat() if shown is not None and shown.due_date else None
        blocks.append(
            input_block(
                row_due_id(index),
                "Due",
                _initial(
                    {"type": "datepicker", "placeholder": plain("Optional")}, "initial_date", due
                ),
                optional=True,
            )
        )
        blocks.append(
            input_block(
                row_position_id(index),
                "Position",
                {"type": "static_select", "options": positions, "initial_option": positions[index]},
                optional=True,
            )
        )
    metadata = {
        "goal": goal.id,
        "rows": [m.id for m in rows] + [None] * (MAX_MILESTONES - len(rows)),
    }
    return modal(
        "Edit goal", blocks, callback_id=EDIT_CALLBACK, submit="Save changes", metadata=metadata
    )


def _editable(
    session: Session, team_id: str, user_id: str, goal_id: int | None
) -> GoalAccess | Refused:
    access = goal_for_member(session, team_id, user_id, goal_id)
    if isinstance(access, Refused):
        return access
    if access.goal.status not in (GoalStatus.ACTIVE, GoalStatus.PAUSED):
        return Refused(CLOSED.format(status=access.goal.status))
    return access


def edit_form(session: Session, team_id: str, user_id: str, goal_id: int | None) -> Result:
    """The edit modal for a goal of the person's pair (either member may edit)."""
    access = _editable(session, team_id, user_id, goal_id)
    if isinstance(access, Refused):
        return access
    return Reply(modal=edit_modal(access.goal, milestones_of(session, access.goal.id or 0)))


def _apply_milestones(
    session: Session, goal: Goal, existing: list[Milestone], rows: tuple[MilestoneRow, ...]
) -> None:
    """Make the goal's milestones `rows`, in that order (positions are unique per goal, so
    every kept one first steps aside to a free negative position)."""
    by_id = {m.id: m for m in existing}
    kept = {row.id for row in rows if row.id is not None}
    for milestone in existing:
        if milestone.id not in kept:
            session.delete(milestone)
        else:
            milestone.position = -1 - (milestone.id or 0)
            session.add(milestone)
    session.flush()
    for position, row in enumerate(rows):
        milestone = by_id.get(row.id) if row.id is not None else None
        if milestone is None:
            milestone = Milestone(
                team_id=goal.team_id, goal_id=goal.id or 0, position=position, title=row.title
            )
        milestone.position, milestone.title, milestone.due_date = position, row.title, row.due_date
        session.add(milestone)
    session.flush()


def _tell_partner(
    session: Session, access: GoalAccess, lines: list[str], event_id: int, now: datetime
) -> None:
    me, partner = access.membership.me, access.membership.partner
    name = me.real_name or me.display_name or "Your partner"
    title = user_text(access.goal.title, 200)
    shown = "\n".join(f"• {user_text(line, 300)}" for line in lines[:20])
    blocks = [
        section(f"✏️ *{user_text(name, 100)}* edited the goal *{title}*:\n{shown}"),
        context("The goal's message in your pair's conversation shows it as it is now."),
    ]
    enqueue(
        session,
        team_id=access.goal.team_id,
        key=f"{EDITED_KIND}:{access.goal.id}:{event_id}",
        kind=EDITED_KIND,
        channel=partner.user_id,
        recipient_user_id=partner.user_id,
        text=f"{name} edited the goal {access.goal.title[:150]}",
        blocks=checked_message(blocks),
        deliver_after=now,
        pair_id=access.goal.pair_id,
    )


def submit_edit(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    values: dict[str, Any],
    metadata: dict[str, Any],
) -> Reply | FieldErrors | Refused:
    """Save the edit modal: every change at once, one history line, one message to the partner."""
    access = _editable(session, team_id, user_id, parse_id(metadata.get("goal")))
    if isinstance(access, Refused):
        return access
    goal = access.goal
    existing = milestones_of(session, goal.id or 0)
    rows = metadata.get("rows")
    row_ids = [parse_id(r) for r in rows] if isinstance(rows, list) else []
    current_ids = {m.id for m in existing}
    if any(r is not None and r not in current_ids for r in row_ids) or len(
        [r for r in row_ids if r is not None]
    ) != len(existing[:MAX_MILESTONES]):
        return FieldErrors(
            {
                row_title_id(
                    0
                ): "The milestones changed while you were editing. Close this and edit again."
            }
        )
    now = ctx.clock.now()
    today = now.astimezone(person_zone(access.membership.me, ctx.settings)).date()
    before = content_of(goal, existing)
    after = read_edit_form(values, before, row_ids, today)
    if isinstance(after, FieldErrors):
        return after
    changes = changes_between(before, after)
    if not changes.any:
        return Refused(NOTHING_CHANGED)
    goal.title, goal.why, goal.target_date = after.title, after.why, after.target_date
    goal.updated_at = now
    session.add(goal)
    _apply_milestones(session, goal, existing, after.milestones)
    event = record_event(
        session, goal, access.membership.me.id or 0, "edited", now, "\n".join(changes.lines)
    )
    _tell_partner(session, access, changes.lines, event.id or 0, now)
    return follow_change(session, goal)
