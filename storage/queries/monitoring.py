"""What `GET /metrics` reads from the database at scrape time: one grouped read of the rows
the outbox still has in hand, whatever the size of the programme."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from storage.models import OutboxMessage, OutboxStatus

# Rows still in the outbox's hands. Sent, expired and folded rows are history that grows
# forever: counting them at every scrape would read the whole table, and the sender's own
# counters already say how many it sent. Every status here is a prefix of the
# (status, deliver_after) index, so the read stays on the index's ranges.
IN_HAND = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED)
WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


@dataclass(frozen=True)
class OutboxGroup:
    """How many rows of one workspace, kind and status, and the earliest due one still
    waiting to be sent (None for failed rows, or when none is due yet)."""

    team_id: str
    kind: str
    status: str
    count: int
    oldest_due: datetime | None


def outbox_in_hand(session: Session, now: datetime) -> list[OutboxGroup]:
    """The outbox's pending, sending and failed rows by workspace, kind and status, with the
    earliest `deliver_after` at or before `now` among those waiting to be sent."""
    deliver_after = col(OutboxMessage.deliver_after)
    due = case(
        (col(OutboxMessage.status).in_(WAITING) & (deliver_after <= now), deliver_after),
        else_=None,
    )
    rows = session.exec(
        select(
            OutboxMessage.team_id,
            OutboxMessage.kind,
            OutboxMessage.status,
            func.count(),
            func.min(due),
        )
        .where(col(OutboxMessage.status).in_(IN_HAND))
        .group_by(OutboxMessage.team_id, OutboxMessage.kind, OutboxMessage.status)
    ).all()
    return [
        OutboxGroup(team, kind, status, count, _aware(oldest))
        for team, kind, status, count, oldest in rows
    ]


def _aware(value: datetime | str | None) -> datetime | None:
    """An aggregate over a datetime column comes back naive (or, on SQLite, as text when the
    driver cannot tell its type); the outbox stores UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
