"""Queueing test messages the way producers do."""

from datetime import datetime
from typing import Any

from sqlmodel import select

from bot.core.context import Tandem
from bot.delivery.service import enqueue
from storage.models import OutboxMessage
from tests.support.harness import TEAM_ID


def queue(ctx: Tandem, key: str, channel: str, at: datetime, **extra: Any) -> None:
    """Queue one message `key` to `channel`, due at `at`."""
    with ctx.session() as session:
        enqueue(
            session,
            team_id=TEAM_ID,
            key=key,
            kind=extra.pop("kind", "test"),
            channel=channel,
            text=extra.pop("text", f"message {key}"),
            deliver_after=at,
            **extra,
        )


def row(ctx: Tandem, key: str) -> OutboxMessage:
    """The outbox row for `key`."""
    with ctx.session() as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).one()
