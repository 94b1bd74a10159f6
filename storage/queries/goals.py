"""Goals, milestones and celebrations (and the outbox rows that carry them): reads, and the
conditional updates that let only one of two clicks at once change anything."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage.models import (
    Celebration,
    Goal,
    Meeting,
    MeetingStatus,
    Milestone,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairStatus,
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


def goals_of_pairs(
    session: Session, pair_ids: Iterable[int], statuses: Sequence[str]
) -> list[Goal]:
    """Goals of any of `pair_ids` with one of `statuses`, oldest first."""
    ids = list(pair_ids)
    if not ids:
        return []
    return list(
        session.exec(
            select(Goal)
            .where(col(Goal.pair_id).in_(ids), col(Goal.status).in_(statuses))
            .order_by(col(Goal.id))
        )
    )


def count_goals(session: Session, pair_id: int, status: str) -> int:
    """How many of the pair's goals have `status`."""
    return int(
        session.exec(
            select(func.count())
            .select_from(Goal)
            .where(Goal.pair_id == pair_id, Goal.status == status)
        ).one()
    )


def celebration(session: Session, pair_id: int, kind: str, subject_key: str) -> Celebration | None:
    """The pair's celebration of `kind` for `subject_key`, if it happened."""
    return session.exec(
        select(Celebration).where(
            Celebration.pair_id == pair_id,
            Celebration.kind == kind,
            Celebration.subject_key == subject_key,
        )
    ).first()


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


def active_pairs_due_anniversary(session: Session, before: datetime, last: str) -> list[Pair]:
    """Active pairs that became active before `before` and whose `last` anniversary (e.g.
    "12m") is not yet celebrated: the candidates for an anniversary."""
    celebrated_last = select(Celebration.pair_id).where(
        Celebration.kind == "anniversary", Celebration.subject_key == last
    )
    return list(
        session.exec(
            select(Pair)
            .where(
                Pair.status == PairStatus.ACTIVE,
                col(Pair.activated_at).is_not(None),
                col(Pair.activated_at) <= before,
                col(Pair.id).not_in(celebrated_last),
            )
            .order_by(col(Pair.id))
        )
    )


def active_pairs_met_since(session: Session, since: datetime, until: datetime) -> list[Pair]:
    """Active pairs with a meeting marked met between `since` and `until` (only a meeting
    just kept can have made a streak)."""
    recent = select(Meeting.pair_id).where(
        Meeting.status == MeetingStatus.MET,
        Meeting.starts_at > since,
        Meeting.starts_at <= until,
    )
    return list(
        session.exec(
            select(Pair)
            .where(Pair.status == PairStatus.ACTIVE, col(Pair.id).in_(recent))
            .order_by(col(Pair.id))
        )
    )


def last_skipped_at(session: Session, pair_id: int, until: datetime) -> datetime | None:
    """When the pair's most recent skipped meeting (up to `until`) was, if any."""
    return session.exec(
        select(func.max(Meeting.starts_at)).where(
            Meeting.pair_id == pair_id,
            Meeting.status == MeetingStatus.SKIPPED,
            Meeting.starts_at <= until,
        )
    ).one()


def met_run(
    session: Session, pair_id: int, after: datetime | None, until: datetime
) -> tuple[int, datetime | None]:
    """(how many, the first) of the pair's meetings marked met after `after` (all, when
    None) up to `until`."""
    query = select(func.count(), func.min(Meeting.starts_at)).where(
        Meeting.pair_id == pair_id,
        Meeting.status == MeetingStatus.MET,
        Meeting.starts_at <= until,
    )
    if after is not None:
        query = query.where(Meeting.starts_at > after)
    count, first = session.exec(query).one()
    return int(count), first


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
