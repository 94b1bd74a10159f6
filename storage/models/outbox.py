"""The notification outbox: one row per message Tandem will ever send, keyed for exactly-once."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for deliver_after
    SENDING = "sending"  # claimed by a sender until lease_until
    SENT = "sent"
    FAILED = "failed"  # permanent Slack error (recorded for admins, never retried)
    EXPIRED = "expired"  # too late to matter (e.g. a reminder after the meeting)


class OutboxMessage(SQLModel, table=True):
    """A message to post; `key` (kind, subject, occurrence) is unique, so nothing is sent twice."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_deliver_after", "status", "deliver_after"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    key: str = Field(max_length=255, unique=True)
    kind: str = Field(max_length=32)
    pair_id: int | None = Field(default=None, foreign_key="pair.id", index=True)
    recipient_user_id: str | None = Field(default=None, max_length=32)
    channel: str = Field(max_length=32)  # a user id (DM) or a channel id
    text: str = Field(sa_column=Column(Text, nullable=False))
    blocks: list[dict] | None = Field(default=None, sa_column=Column(JSON))
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    deliver_after: datetime
    expires_at: datetime | None = None
    attempts: int = 0
    lease_until: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = None
    sent_channel: str | None = Field(default=None, max_length=32)
    sent_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
