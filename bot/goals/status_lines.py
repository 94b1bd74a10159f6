"""Goals at a glance, for `/tandem status` and App Home."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.membership import Membership
from bot.goals.blocks.messages import user_text
from bot.goals.form_rules import day_label
from storage.models import GoalStatus, Person
from storage.queries.goals import count_goals, goals_of_pairs, milestones_of

MAX_OVERDUE_NAMED = 3


def goal_status_lines(session: Session, membership: Membership, today: date) -> list[str]:
    """One mrkdwn line per active or paused goal of the membership's pair: progress, owner,
    target, and milestones overdue on `today` (the reader's calendar day); then a line
    counting completed goals. Empty when the pair has no goals."""
    pair = membership.pair
    goals = goals_of_pairs(session, [pair.id or 0], (GoalStatus.ACTIVE, GoalStatus.PAUSED))
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
        milestones = milestones_of(session, goal.id or 0)
        if milestones:
            done = sum(1 for m in milestones if m.done_at is not None)
            parts.append(f"{done}/{len(milestones)} milestones")
        overdue = [m for m in milestones if m.done_at is None and m.due_date and m.due_date < today]
        if overdue and goal.status == GoalStatus.ACTIVE:
            named = ", ".join(user_text(m.title, 60) for m in overdue[:MAX_OVERDUE_NAMED])
            more = f" and {len(overdue) - MAX_OVERDUE_NAMED} more" if len(overdue) > 3 else ""
            parts.append(f"⚠️ overdue: {named}{more}")
        lines.append("  ·  ".join(parts))
    completed = count_goals(session, pair.id or 0, GoalStatus.COMPLETED)
    if completed:
        lines.append(f"🏆 {completed} goal{'s' if completed != 1 else ''} completed")
    return lines


def goal_lines(session: Session, membership: Membership, now: datetime) -> list[str]:
    """`goal_status_lines` as a status line: overdue is judged on the reader's own calendar day."""
    zone = ZoneInfo(membership.me.tz) if membership.me.tz else UTC
    return goal_status_lines(session, membership, now.astimezone(zone).date())
