"""The notification outbox: one row per message Tandem will ever send, keyed for exactly-once."""

from datetime import date, datetime
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
    FOLDED = "folded"  # over the person's daily limit: shown in the digest named by folded_into


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
    # People whose quiet hours hold a post in a shared conversation (e.g. the pair's group DM).
    audience: list[str] | None = Field(default=None, sa_column=Column(JSON))
    # Not counted against, nor folded by, the daily DM limit (see bot/delivery/policy_rules.py).
    exempt_from_cap: bool = False
    folded_into: str | None = Field(default=None, max_length=255, index=True)
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


class DailyDmCount(SQLModel, table=True):
    """How many Tandem DMs a person got on one local day; the daily limit is a conditional +1."""

    __tablename__ = "daily_dm_count"

    team_id: str = Field(primary_key=True, foreign_key="workspace.team_id", max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
    sent: int = 0
