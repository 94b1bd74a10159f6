"""Claiming outbox rows: one sender per row, a lease, and takeover when a sender dies."""

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from bot.core.context import Tandem
from storage.db import is_postgres, session_scope
from storage.models import OutboxMessage, OutboxStatus

LEASE = timedelta(minutes=2)
BATCH_SIZE = 100


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.deliver_after <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim_batch(ctx: Tandem, now: datetime, limit: int = BATCH_SIZE) -> list[OutboxMessage]:
    """Claim up to `limit` due rows for this sender; a row is claimed by exactly one caller.

    The conditional update is the guarantee on every database; on PostgreSQL, SKIP LOCKED
    also keeps concurrent senders from queueing behind each other's rows. A row whose lease
    ran out (its sender died) is claimable again: that is the takeover.
    """
    with session_scope(ctx.engine) as session:
        query = (
            select(OutboxMessage.id)
            .where(_claimable(now))
            .order_by(col(OutboxMessage.deliver_after), col(OutboxMessage.id))
            .limit(limit)
        )
        if is_postgres(ctx.engine):
            query = query.with_for_update(skip_locked=True)
        ids = list(session.exec(query).all())
        claimed: list[int] = []
        for row_id in ids:
            result = session.exec(  # type: ignore[call-overload]
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id, _claimable(now))
                .values(
                    status=OutboxStatus.SENDING,
                    lease_until=now + LEASE,
                    attempts=OutboxMessage.attempts + 1,
                )
            )
            if result.rowcount:
                claimed.append(row_id)
        session.flush()
        if not claimed:
            return []
        return list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.id).in_(claimed))
                .order_by(col(OutboxMessage.deliver_after), col(OutboxMessage.id))
            )
        )


def update_claimed(session: Session, row: OutboxMessage, **values: object) -> bool:
    """Change a row we claimed, unless another sender took it over after our lease ran out."""
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


def finish(ctx: Tandem, row: OutboxMessage, **values: object) -> bool:
    """`update_claimed` in its own transaction (recording an outcome)."""
    with session_scope(ctx.engine) as session:
        return update_claimed(session, row, **values)
