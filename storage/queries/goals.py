"""Goals, milestones and celebrations (and the outbox rows that carry them): reads, and the
conditional updates that let only one of two clicks at once change anything."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from storage.models import (
    Celebration,
    Goal,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Milestone,
    OutboxMessage,
    OutboxStatus,
)


def goal_in_team(session: Session, team_id: str, goal_id: int) -> Goal | None:
    """The goal `goal_id`, only if it belongs to `team_id` (ids from buttons are untrusted)."""
    goal = session.get(Goal, goal_id)
    return goal if goal is not None and goal.team_id == team_id else None


def milestones_of(session: Session, goal_id: int) -> list[Milestone]:
    """A goal's milestones in the order they were written."""
    return list(
        session.exec(
            select(Milestone).where(Milestone.goal_id == goal_id).order_by(col(Milestone.position))
        )
    )


def open_goals_of(session: Session, pair_id: int) -> list[Goal]:
    """The pair's goals still being worked on (active or paused), in no particular order."""
    return list(
        session.exec(
            select(Goal).where(
                Goal.pair_id == pair_id,
                col(Goal.status).in_((GoalStatus.ACTIVE, GoalStatus.PAUSED)),
            )
        )
    )


def goals_of_pairs(
    session: Session, pair_ids: Iterable[int], statuses: Sequence[str]
) -> list[Goal]:
    """Goals of any of `pair_ids` with one of `statuses`, oldest first (sorted here: ordered
    by id in SQL, SQLite preferred walking ix_goal_status, every goal of that status)."""
    ids = list(pair_ids)
    if not ids:
        return []
    goals = session.exec(
        select(Goal).where(col(Goal.pair_id).in_(ids), col(Goal.status).in_(statuses))
    )
    return sorted(goals, key=lambda goal: goal.id or 0)


def celebrations_with_status(session: Session, status: str, limit: int = 200) -> list[Celebration]:
    """Celebrations whose share status is `status` (e.g. announcements still in flight)."""
    return list(
        session.exec(
            select(Celebration)
            .where(Celebration.share_status == status)
            .order_by(col(Celebration.id))
            .limit(limit)
        )
    )


def outbox_rows(session: Session, keys: Iterable[str]) -> dict[str, OutboxMessage]:
    """Outbox rows by key, for the keys that were queued."""
    wanted = list(keys)
    if not wanted:
        return {}
    rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.key).in_(wanted)))
    return {row.key: row for row in rows}


def anniversaries_celebrated(session: Session, pair_ids: list[int]) -> dict[int, list[int]]:
    """The anniversaries (in months) each pair has celebrated, in one statement."""
    if not pair_ids:
        return {}
    found: dict[int, list[int]] = {}
    rows = session.exec(
        select(Celebration.pair_id, Celebration.subject_key).where(
            col(Celebration.pair_id).in_(pair_ids), Celebration.kind == "anniversary"
        )
    )
    for pair_id, subject in rows:
        if subject.endswith("m") and subject[:-1].isdigit():
            found.setdefault(pair_id, []).append(int(subject[:-1]))
    return found


def met_runs(
    session: Session, pair_ids: list[int], until: datetime
) -> dict[int, tuple[int, datetime | None]]:
    """For each pair: (how many, the first) of its meetings marked met up to `until` since
    its last skipped one (all of them, when it never skipped). One statement for the batch."""
    if not pair_ids:
        return {}
    skipped = aliased(Meeting)
    last_skip = (
        select(func.max(skipped.starts_at))
        .where(
            skipped.pair_id == Meeting.pair_id,
            skipped.status == MeetingStatus.SKIPPED,
            skipped.starts_at <= until,
        )
        .correlate(Meeting)
        .scalar_subquery()
    )
    rows = session.exec(
        select(Meeting.pair_id, func.count(), func.min(Meeting.starts_at))
        .where(
            col(Meeting.pair_id).in_(pair_ids),
            Meeting.status == MeetingStatus.MET,
            Meeting.starts_at <= until,
            or_(last_skip.is_(None), Meeting.starts_at > last_skip),
        )
        .group_by(col(Meeting.pair_id))
    )
    return {pair_id: (int(count), first) for pair_id, count, first in rows}


def milestones_of_goals(session: Session, goal_ids: list[int]) -> dict[int, list[Milestone]]:
    """Each goal's milestones in the order they were written, in one statement."""
    found: dict[int, list[Milestone]] = {goal_id: [] for goal_id in goal_ids}
    if not goal_ids:
        return found
    rows = session.exec(
        select(Milestone)
        .where(col(Milestone.goal_id).in_(goal_ids))
        .order_by(col(Milestone.goal_id), col(Milestone.position))
    )
    for row in rows:
        found[row.goal_id].append(row)
    return found


def goal_counts(session: Session, pair_ids: list[int], status: str) -> dict[int, int]:
    """How many goals with `status` each pair has (absent: none), in one statement."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(Goal.pair_id, func.count())
        .where(col(Goal.pair_id).in_(pair_ids), Goal.status == status)
        .group_by(col(Goal.pair_id))
    )
    return {pair_id: int(n) for pair_id, n in rows}


def update_celebration_if(
    session: Session, celebration_id: int, share_from: Iterable[str], values: dict[str, Any]
) -> bool:
    """Set `values` on the celebration if its share status is one of `share_from`; True when
    this call changed it (of two clicks at once, exactly one does)."""
    result = session.exec(  # type: ignore[call-overload]
        update(Celebration)
        .where(col(Celebration.id) == celebration_id, col(Celebration.share_status).in_(share_from))
        .values(**values)
    )
    return bool(result.rowcount)


def update_pending_outbox_row(session: Session, row_id: int, text: str, blocks: Any) -> None:
    """New text and blocks for an outbox row, only while it has not been sent."""
    session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(text=text, blocks=blocks)
    )


def update_goal_if(
    session: Session, goal_id: int, status_from: Iterable[str], values: dict[str, Any]
) -> bool:
    """Set `values` on the goal if its status is one of `status_from`; True when this call
    changed it."""
    result = session.exec(  # type: ignore[call-overload]
        update(Goal)
        .where(col(Goal.id) == goal_id, col(Goal.status).in_(status_from))
        .values(**values)
    )
    return bool(result.rowcount)


def set_milestone_done(
    session: Session, milestone_id: int, done_at: datetime | None, done_by_id: int | None
) -> bool:
    """Mark the milestone done (or, with `done_at` None, not done) unless it already is so;
    True when this call changed it."""
    done = col(Milestone.done_at)
    result = session.exec(  # type: ignore[call-overload]
        update(Milestone)
        .where(col(Milestone.id) == milestone_id, done.is_(None) if done_at else done.is_not(None))
        .values(done_at=done_at, done_by_id=done_by_id)
    )
    return bool(result.rowcount)
