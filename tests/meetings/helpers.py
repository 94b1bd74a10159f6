"""Shared steps for meeting tests: a pair on a weekly rhythm, and looking at what was queued."""

from datetime import UTC, datetime

from sqlmodel import col, select

from storage.models import Meeting, OutboxMessage, Pair
from tests.support.factories import PairRef, create_active_pair
from tests.support.harness import START, Harness


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def weekly_pair(tandem: Harness, **charter: object) -> PairRef:
    """An active pair (charter: weekly, Monday 10:00 Europe/Berlin) whose series exists.

    Background delivery is stopped: each test sends by running due work at chosen instants.
    """
    tandem.stop_delivery()
    if charter:
        from tests.support.factories import DEFAULT_CHARTER

        ref = create_active_pair(tandem, charter={**DEFAULT_CHARTER, **charter})
    else:
        ref = create_active_pair(tandem)
    tandem.run_due(START)
    return ref


def queued(tandem: Harness, kind: str | None = None) -> list[OutboxMessage]:
    """Outbox rows (of `kind`), in the order they were queued."""
    with tandem.session() as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list(session.exec(query))


def meetings(tandem: Harness, pair_id: int) -> list[Meeting]:
    """The pair's meeting rows in time order."""
    with tandem.session() as session:
        return list(
            session.exec(
                select(Meeting).where(Meeting.pair_id == pair_id).order_by(col(Meeting.starts_at))
            )
        )


def texts(tandem: Harness, channel: str) -> list[str]:
    """Texts of the messages in a conversation (a user id means their DM with Tandem)."""
    return [m["text"] for m in tandem.emulator.messages(channel)]


def remind_both(tandem: Harness, pair_id: int) -> None:
    """The pair's reminder settings: the day before and an hour before (one, the day before,
    has been the default since issue 17), for tests about when each reminder comes."""
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None
        pair.reminder_offsets = [1440, 60]
        session.add(pair)
