"""Goals at a glance, for `/tandem status` and App Home."""

from datetime import date, datetime

from sqlmodel import Session

from bot.core.clock import zone_or_utc
from bot.core.membership import Membership
from bot.goals.blocks.messages import user_text
from bot.goals.form_rules import day_label
from storage.models import Goal, GoalStatus, Milestone, Person
from storage.queries.goals import goal_counts, goals_of_pairs, milestones_of_goals
from storage.queries.pairs import people_by_id

MAX_OVERDUE_NAMED = 3


def goal_status_lines(session: Session, membership: Membership, today: date) -> list[str]:
    """One mrkdwn line per active or paused goal of the membership's pair: progress, owner,
    target, and milestones overdue on `today` (the reader's calendar day); then a line
    counting completed goals. Empty when the pair has no goals."""
    return _goal_lines(session, [membership], {membership.pair.id or 0: today})[
        membership.pair.id or 0
    ]


def _goal_lines(
    session: Session, memberships: list[Membership], today: dict[int, date]
) -> dict[int, list[str]]:
    """Goal lines of each membership's pair (`today` per pair: the reader's day), in four
    statements whatever the number of pairs."""
    ids = [m.pair.id or 0 for m in memberships]
    goals = goals_of_pairs(session, ids, (GoalStatus.ACTIVE, GoalStatus.PAUSED))
    # Held for the batch: the session keeps loaded rows only while they are referenced,
    # and its `session.get`s are then answered without SQL.
    _members = people_by_id(session, {goal.owner_id for goal in goals})
    milestones = milestones_of_goals(session, [goal.id or 0 for goal in goals])
    completed = goal_counts(session, ids, GoalStatus.COMPLETED)
    return {
        m.pair.id or 0: _pair_goal_lines(
            session,
            m,
            [g for g in goals if g.pair_id == m.pair.id],
            milestones,
            completed.get(m.pair.id or 0, 0),
            today[m.pair.id or 0],
        )
        for m in memberships
    }


def _pair_goal_lines(
    session: Session,
    membership: Membership,
    goals: list[Goal],
    milestones_by_goal: dict[int, list[Milestone]],
    completed: int,
    today: date,
) -> list[str]:
    lines = []
    for goal in goals:
        owner = session.get(Person, goal.owner_id)
        whose = (
            "yours"
            if goal.owner_id == membership.me.id
            else (f"{user_text((owner.real_name or owner.display_name) if owner else '', 60)}'s")
        )
        parts = [f"🎯 *{user_text(goal.title, 150)}*", f"{goal.percent}%", whose]
        if goal.status == GoalStatus.PAUSED:
            parts.append("⏸ paused")
        if goal.target_date:
            late = " (past target)" if goal.target_date < today else ""
            parts.append(f"target {day_label(goal.target_date)}{late}")
        milestones = milestones_by_goal.get(goal.id or 0, [])
        if milestones:
            done = sum(1 for m in milestones if m.done_at is not None)
            parts.append(f"{done}/{len(milestones)} milestones")
        overdue = [m for m in milestones if m.done_at is None and m.due_date and m.due_date < today]
        if overdue and goal.status == GoalStatus.ACTIVE:
            named = ", ".join(user_text(m.title, 60) for m in overdue[:MAX_OVERDUE_NAMED])
            more = f" and {len(overdue) - MAX_OVERDUE_NAMED} more" if len(overdue) > 3 else ""
            parts.append(f"⚠️ overdue: {named}{more}")
        lines.append("  ·  ".join(parts))
    if completed:
        lines.append(f"🏆 {completed} goal{'s' if completed != 1 else ''} completed")
    return lines


def goal_lines(
    session: Session, memberships: list[Membership], now: datetime
) -> dict[int, list[str]]:
    """`goal_status_lines` as a status line, for each of a person's pairs at once: overdue is
    judged on the reader's own calendar day."""
    today = {}
    for m in memberships:
        zone = zone_or_utc(m.me.tz)
        today[m.pair.id or 0] = now.astimezone(zone).date()
    return _goal_lines(session, memberships, today)
