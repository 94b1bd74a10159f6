"""Reading the outbox: one row by key, and what it could not deliver (for the admins' Home)."""

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
