"""Sent messages by outbox key: where a "did you meet?" went, so an answer can update each."""

from collections.abc import Iterable

from sqlmodel import Session, col, select

from storage.models import OutboxMessage, OutboxStatus


def sent_messages(session: Session, keys: Iterable[str]) -> list[OutboxMessage]:
    """The rows of these keys that were posted (with the channel and ts Slack gave them),
    oldest first; one statement on the unique key index."""
    wanted = list(keys)
    if not wanted:
        return []
    return list(
        session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.key).in_(wanted),
                OutboxMessage.status == OutboxStatus.SENT,
                col(OutboxMessage.sent_ts).is_not(None),
            )
            .order_by(col(OutboxMessage.id))
        )
    )
