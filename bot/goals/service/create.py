"""Setting a goal: the modal's submission becomes a goal with milestones, all or nothing."""

from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.membership import LIVE, Membership, Refusals, guard
from bot.core.modal_state import ModalState
from bot.core.people import person_zone
from bot.core.picker import PAIR_BLOCK_ID, picked_pair_id
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.service import post_to_pair
from bot.goals import form_rules
from bot.goals.access import NOT_YOURS
from bot.goals.changes import GOAL_MESSAGE_KIND, goal_message_key, record_event, render_goal
from storage.models import Goal, Milestone


def submitted_membership(
    session: Session, team_id: str, user_id: str, values: ModalState, metadata: dict[str, Any]
) -> Membership | Refused:
    """The pair the modal was for (its metadata, or the picker), checked afresh: the
    submitter must still be one of its two and it must still be live."""
    pair_id = picked_pair_id(values)
    if pair_id is None:
        pair_id = parse_id(metadata.get("pair"))
    if not pair_id:
        return Refused("Choose which pair this goal is for.")
    return guard(session, team_id, user_id, pair_id, Refusals(NOT_YOURS), LIVE)


def create_goal(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    values: ModalState,
    metadata: dict[str, Any],
) -> Result:
    """Validate the new-goal modal and save the goal, its milestones and its first history
    line in the caller's transaction; the goal's message is queued for the group DM."""
    if PAIR_BLOCK_ID in values and picked_pair_id(values) is None:
        return FieldErrors({PAIR_BLOCK_ID: "Choose which pair this goal is for."})
    membership = submitted_membership(session, team_id, user_id, values, metadata)
    if isinstance(membership, Refused):
        return membership
    now = ctx.clock.now()
    today = now.astimezone(person_zone(membership.me, ctx.settings)).date()
    draft = form_rules.parse_goal_form(values, today)
    if isinstance(draft, FieldErrors):
        return draft
    owner = membership.me if draft.owner == form_rules.OWNER_ME else membership.partner
    goal = Goal(
        team_id=team_id,
        pair_id=membership.pair.id or 0,
        owner_id=owner.id or 0,
        created_by_id=membership.me.id or 0,
        title=draft.title,
        why=draft.why,
        target_date=draft.target_date,
        created_at=now,
        updated_at=now,
    )
    session.add(goal)
    session.flush()
    for position, milestone in enumerate(draft.milestones):
        session.add(
            Milestone(
                team_id=team_id,
                goal_id=goal.id or 0,
                position=position,
                title=milestone.title,
                due_date=milestone.due_date,
            )
        )
    record_event(session, goal, membership.me.id or 0, "created", now, goal.title)
    post_to_pair(
        session,
        membership.pair,
        key=goal_message_key(goal),
        kind=GOAL_MESSAGE_KIND,
        deliver_after=now,
        **render_goal(session, goal),
    )
    return Reply(queued=True)
