"""The outbox's SQL: queueing many messages at once, claiming rows for a sender, expiring what
no longer matters, the digest's folded rows, the daily DM counter, one row by key, and what
it could not deliver (for the admins' Home)."""

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.db import insert_if_absent, is_postgres
from storage.models import DailyDmCount, OutboxMessage, OutboxStatus

WAITING = (OutboxStatus.PENDING, OutboxStatus.FOLDED)  # not sent yet (a digest's rows: folded)


def failed_deliveries(session: Session, team_id: str, limit: int = 50) -> list[OutboxMessage]:
    """Messages Slack refused for good in `team_id` (deactivated user, archived channel...),
    newest first; each row says whom (`channel`, `recipient_user_id`), what (`kind`, `pair_id`)
    and why (`last_error`). Show the kind and the error, not the text: it may be private."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.team_id) == team_id,
                col(OutboxMessage.status) == OutboxStatus.FAILED,
            )
            .order_by(col(OutboxMessage.deliver_after).desc(), col(OutboxMessage.id).desc())
            .limit(limit)
        )
    )


def outbox_row(session: Session, team_id: str, key: str) -> OutboxMessage | None:
    """The queued or sent message with `key` in `team_id`."""
    return session.exec(
        select(OutboxMessage).where(OutboxMessage.key == key, OutboxMessage.team_id == team_id)
    ).first()


def insert_message(session: Session, values: dict[str, Any]) -> bool:
    """Queue one message (outbox column values); False when its key was queued before."""
    return insert_if_absent(session, OutboxMessage, values, ["key"])


def insert_messages(session: Session, rows: list[dict[str, Any]]) -> int:
    """Queue `rows` (outbox column values, the same columns in each) in one INSERT, skipping
    every key queued before (ON CONFLICT DO NOTHING); returns how many were new.

    Counted by RETURNING, not rowcount: PostgreSQL's driver reports a row count for the
    statement even when conflicts left the table untouched. The rows go as parameters of one
    compiled statement (SQLAlchemy's "insertmanyvalues" turns them into multi-row VALUES):
    compiling a VALUES clause of a few hundred rows anew each batch cost more than the insert.
    """
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(OutboxMessage)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(OutboxMessage.id))
    )
    return len(session.connection().execute(statement, rows).all())


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.deliver_after <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim_rows(
    session: Session,
    now: datetime,
    lease_until: datetime,
    limit: int,
    *,
    per_team: int | None = None,
    skip_teams: Collection[str] = (),
) -> list[OutboxMessage]:
    """Up to `limit` due rows (pending, or sending with a lease run out), now claimed by this
    caller: sending, leased until `lease_until`, one attempt more.

    Soonest first; with `per_team`, workspaces take turns (each one's soonest row, then each
    one's second...) and none gets more than `per_team`, so one workspace's backlog cannot
    fill a batch while another's reminders wait. `skip_teams` get none this time.

    The conditional UPDATE is the guarantee on every database (a row another sender claimed
    meanwhile is no longer claimable); on PostgreSQL, SKIP LOCKED also keeps concurrent
    senders from queueing behind each other's rows.
    """
    due = [_claimable(now)]
    if skip_teams:
        due.append(col(OutboxMessage.team_id).not_in(list(skip_teams)))
    soonest = (col(OutboxMessage.deliver_after), col(OutboxMessage.id))
    if per_team is None:
        query = select(OutboxMessage.id).where(*due).order_by(*soonest).limit(limit)
    else:
        turn = func.row_number().over(partition_by=OutboxMessage.team_id, order_by=soonest)
        ranked = select(OutboxMessage.id, OutboxMessage.deliver_after, turn.label("turn"))
        taking = ranked.where(*due).subquery()
        picked = (
            select(taking.c.id)
            .where(taking.c.turn <= per_team)
            .order_by(taking.c.turn, taking.c.deliver_after, taking.c.id)
            .limit(limit)
        )
        query = select(OutboxMessage.id).where(col(OutboxMessage.id).in_(picked))
    if is_postgres(session.get_bind()):  # type: ignore[arg-type]
        query = query.with_for_update(skip_locked=True)
    ids = list(session.exec(query).all())
    if not ids:
        return []
    claimed = session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), _claimable(now))
        .values(
            status=OutboxStatus.SENDING,
            lease_until=lease_until,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(col(OutboxMessage.id))
    ).all()
    if not claimed:
        return []
    rows = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.id).in_([row_id for (row_id,) in claimed]))
        .order_by(*soonest)
    ).all()
    return list(rows) if per_team is None else in_turns(list(rows))


def in_turns(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    """`rows` (soonest first) reordered so workspaces take turns: each one's first, then each
    one's second..."""
    seen: dict[str, int] = {}
    turns = []
    for row in rows:
        seen[row.team_id] = seen.get(row.team_id, 0) + 1
        turns.append(seen[row.team_id])
    return [row for _, _, row in sorted(zip(turns, range(len(rows)), rows, strict=True))]


def update_claimed_row(session: Session, row: OutboxMessage, values: dict[str, Any]) -> bool:
    """Change a row we claimed, unless another sender took it over after our lease ran out
    (its attempts then moved on)."""
    result = session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == row.id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.attempts == row.attempts,
        )
        .values(**values)
    )
    return bool(result.rowcount)


def next_pending_at(session: Session) -> datetime | None:
    """When the earliest pending row becomes due."""
    return session.exec(
        select(OutboxMessage.deliver_after)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .order_by(col(OutboxMessage.deliver_after))
        .limit(1)
    ).first()


def expire_waiting(
    session: Session, pair_id: int, reason: str, *conditions: ColumnElement[bool]
) -> int:
    """Record the pair's messages not yet sent (those meeting `conditions`) as expired with
    `reason`; returns how many."""
    result = session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(
            col(OutboxMessage.pair_id) == pair_id,
            col(OutboxMessage.status).in_(WAITING),
            *conditions,
        )
        .values(status=OutboxStatus.EXPIRED, last_error=reason)
    )
    return int(result.rowcount or 0)


def folded_rows(session: Session, digest_key: str) -> list[OutboxMessage]:
    """The messages folded into the digest `digest_key` and not delivered yet, oldest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.folded_into) == digest_key,
                col(OutboxMessage.status) == OutboxStatus.FOLDED,
                col(OutboxMessage.sent_at).is_(None),
            )
            .order_by(col(OutboxMessage.deliver_after), col(OutboxMessage.id))
        ).all()
    )


def mark_folded_delivered(
    session: Session, digest_key: str, now: datetime, channel: str, ts: str
) -> None:
    """Record that the messages folded into `digest_key` reached the person inside it."""
    session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(
            col(OutboxMessage.folded_into) == digest_key,
            col(OutboxMessage.status) == OutboxStatus.FOLDED,
            col(OutboxMessage.sent_at).is_(None),
        )
        .values(sent_at=now, sent_channel=channel, sent_ts=ts)
    )


def _this_day(team_id: str, user_id: str, day: date) -> tuple[ColumnElement[bool], ...]:
    return (
        col(DailyDmCount.team_id) == team_id,
        col(DailyDmCount.user_id) == user_id,
        col(DailyDmCount.day) == day,
    )


def add_daily_dm(
    session: Session, team_id: str, user_id: str, day: date, limit: int | None = None
) -> bool:
    """Count one more DM to the person on `day`, unless `limit` of them are counted already
    (one conditional UPDATE: concurrent senders cannot over-raise it); False when refused."""
    insert_if_absent(
        session, DailyDmCount, {"team_id": team_id, "user_id": user_id, "day": day, "sent": 0}
    )
    statement = update(DailyDmCount).where(*_this_day(team_id, user_id, day))
    if limit is not None:
        statement = statement.where(col(DailyDmCount.sent) < limit)
    result = session.exec(statement.values(sent=DailyDmCount.sent + 1))  # type: ignore[call-overload]
    return bool(result.rowcount)


def remove_daily_dm(session: Session, team_id: str, user_id: str, day: date) -> None:
    """Count one DM fewer to the person on `day` (never below zero)."""
    session.exec(  # type: ignore[call-overload]
        update(DailyDmCount)
        .where(*_this_day(team_id, user_id, day), col(DailyDmCount.sent) > 0)
        .values(sent=DailyDmCount.sent - 1)
    )
