"""Every change to a goal leaves a GoalEvent, and the goal's message follows the change."""

import logging
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.results import MessageEdit, Reply
from bot.goals.blocks.messages import goal_message
from storage.models import Goal, GoalEvent, OutboxStatus, Person
from storage.queries.goals import milestones_of, outbox_rows, update_pending_outbox_row

log = logging.getLogger(__name__)

GOAL_MESSAGE_KIND = "goal.new"


def record_event(
    session: Session, goal: Goal, actor_id: int, kind: str, now: datetime, detail: str = ""
) -> GoalEvent:
    """Add one line to the goal's history (in the caller's transaction)."""
    event = GoalEvent(
        team_id=goal.team_id,
        goal_id=goal.id or 0,
        actor_id=actor_id,
        kind=kind,
        detail=detail,
        created_at=now,
    )
    session.add(event)
    session.flush()
    return event


def goal_message_key(goal: Goal) -> str:
    """The outbox key of the message that announced `goal` in its pair's group DM."""
    return f"{GOAL_MESSAGE_KIND}:{goal.pair_id}:{goal.id}"


def render_goal(session: Session, goal: Goal) -> dict[str, Any]:
    """The goal's message as it should look now."""
    owner = session.get(Person, goal.owner_id)
    assert owner is not None
    return goal_message(goal, milestones_of(session, goal.id or 0), owner)


def follow_change(session: Session, goal: Goal) -> Reply:
    """Bring the goal's message up to date after a change (in the caller's transaction).

    Not yet sent: the queued row gets the new blocks. Already sent: the Reply says where it
    is, so the renderer edits it once the transaction has committed.
    """
    session.flush()
    content = render_goal(session, goal)
    row = outbox_rows(session, [goal_message_key(goal)]).get(goal_message_key(goal))
    if row is None:
        return Reply(queued=True)
    if row.status == OutboxStatus.PENDING:
        update_pending_outbox_row(session, row.id or 0, content["text"], content["blocks"])
        return Reply(queued=True)
    if row.status == OutboxStatus.SENT and row.sent_channel and row.sent_ts:
        edit = MessageEdit(row.sent_channel, row.sent_ts, content["text"], content.get("blocks"))
        return Reply(edit=edit, queued=True)
    return Reply(queued=True)
