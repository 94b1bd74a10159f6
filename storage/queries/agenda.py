"""What the next meeting should cover: open agenda items and overdue milestones."""

from datetime import date

from sqlmodel import Session, col, func, select

from storage.models import AgendaItem, Goal, GoalStatus, Milestone


def open_agenda(session: Session, pair_id: int) -> list[AgendaItem]:
    """Items added for the next meeting and not yet covered by a held one, oldest first."""
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.pair_id == pair_id, col(AgendaItem.meeting_id).is_(None))
            .order_by(col(AgendaItem.created_at), col(AgendaItem.id))
        )
    )


def overdue_milestones(session: Session, pair_id: int, today: date) -> list[tuple[Goal, Milestone]]:
    """Milestones of the pair's active goals that are not done and were due before `today`,
    most overdue first (`today` is the reader's local date)."""
    rows = session.exec(
        select(Goal, Milestone)
        .join(Milestone, col(Milestone.goal_id) == col(Goal.id))
        .where(
            Goal.pair_id == pair_id,
            Goal.status == GoalStatus.ACTIVE,
            col(Milestone.done_at).is_(None),
            col(Milestone.due_date).is_not(None),
            col(Milestone.due_date) < today,
        )
        .order_by(col(Milestone.due_date), col(Goal.id), col(Milestone.position))
    ).all()
    return [(goal, milestone) for goal, milestone in rows]


def open_agenda_counts(session: Session, pair_ids: list[int]) -> dict[int, int]:
    """How many open agenda items each pair has (pairs with none are absent), in one statement."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(AgendaItem.pair_id, func.count())
        .where(col(AgendaItem.pair_id).in_(pair_ids), col(AgendaItem.meeting_id).is_(None))
        .group_by(col(AgendaItem.pair_id))
    )
    return {pair_id: int(n) for pair_id, n in rows}


def open_agenda_of(session: Session, pair_ids: list[int]) -> dict[int, list[AgendaItem]]:
    """`open_agenda` of each of these pairs, in one statement."""
    found: dict[int, list[AgendaItem]] = {pair_id: [] for pair_id in pair_ids}
    if not pair_ids:
        return found
    rows = session.exec(
        select(AgendaItem)
        .where(col(AgendaItem.pair_id).in_(pair_ids), col(AgendaItem.meeting_id).is_(None))
        .order_by(col(AgendaItem.created_at), col(AgendaItem.id))
    )
    for item in rows:
        found[item.pair_id].append(item)
    return found


def overdue_milestones_of(
    session: Session, pair_ids: list[int], before: date
) -> dict[int, list[tuple[Goal, Milestone]]]:
    """`overdue_milestones` of each of these pairs as of `before` (the latest day a reader
    may be on; callers narrow it to each reader's own day), in one statement."""
    found: dict[int, list[tuple[Goal, Milestone]]] = {pair_id: [] for pair_id in pair_ids}
    if not pair_ids:
        return found
    rows = session.exec(
        select(Goal, Milestone)
        .join(Milestone, col(Milestone.goal_id) == col(Goal.id))
        .where(
            col(Goal.pair_id).in_(pair_ids),
            Goal.status == GoalStatus.ACTIVE,
            col(Milestone.done_at).is_(None),
            col(Milestone.due_date).is_not(None),
            col(Milestone.due_date) < before,
        )
        .order_by(col(Milestone.due_date), col(Goal.id), col(Milestone.position))
    ).all()
    for goal, milestone in rows:
        found[goal.pair_id].append((goal, milestone))
    return found
