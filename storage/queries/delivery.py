"""The outbox's SQL: queueing many messages at once, one row by key, and what it could not
deliver (for the admins' Home)."""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import OutboxMessage, OutboxStatus


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


def insert_messages(session: Session, rows: list[dict[str, Any]]) -> int:
    """Queue `rows` (outbox column values, the same columns in each) in one INSERT, skipping
    every key queued before (ON CONFLICT DO NOTHING); returns how many were new.

    Counted by RETURNING, not rowcount: PostgreSQL's driver reports a row count for the
    statement even when conflicts left the table untouched.
    """
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(OutboxMessage)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(OutboxMessage.id))
    )
    return len(session.exec(statement).all())  # type: ignore[call-overload]
