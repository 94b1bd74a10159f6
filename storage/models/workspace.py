"""Workspaces, the people in them, and the events we have already handled."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class Workspace(SQLModel, table=True):
    """One Slack workspace (team) and its programme settings."""

    team_id: str = Field(primary_key=True, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    celebrations_channel: str | None = Field(default=None, max_length=32)
    review_interval_months: int = 3
    quiet_hours_start: str = Field(default="20:00", max_length=5)
    quiet_hours_end: str = Field(default="08:00", max_length=5)
    default_cadence: str = Field(default="biweekly", max_length=16)
    daily_dm_limit: int = 3
    # Set when Slack said the app was uninstalled or its bot token revoked: nothing more is
    # queued or sent for this workspace until it is installed again (storage.queries.workspaces).
    uninstalled_at: datetime | None = None
    uninstalled_reason: str | None = Field(default=None, max_length=64)
    # Programme admins named in this workspace's settings (Slack user ids), besides Slack's own
    # workspace admins and owners and TANDEM_ADMINS.
    programme_admins: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    # The topics people pick from in `/tandem join`, in the order admins wrote them.
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Person(SQLModel, table=True):
    """A Slack user Tandem has met, with their timezone cached from users.info."""

    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    user_id: str = Field(max_length=32)
    display_name: str = Field(default="", max_length=200)
    real_name: str = Field(default="", max_length=200)
    tz: str | None = Field(default=None, max_length=64)
    is_bot: bool = False
    deleted: bool = False
    is_workspace_admin: bool = False
    dm_channel_id: str | None = Field(default=None, max_length=32)
    refreshed_at: datetime | None = None
    # First time they opened Tandem's Home tab: only then is it worth publishing it again.
    home_opened_at: datetime | None = None
    erased_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already handled, so Slack's retries change nothing."""

    __tablename__ = "processed_event"
    team_id: str = Field(primary_key=True, max_length=32)
    event_id: str = Field(primary_key=True, max_length=64)
    # Indexed: rows older than Slack could retry are deleted by age (bot.core.replays).
    received_at: datetime = Field(default_factory=utcnow, index=True)


class AppliedRequest(SQLModel, table=True):
    """Signed requests (commands, clicks, submissions) already applied, so a replay of the same
    bytes within Slack's five-minute signature window changes nothing a second time.

    Shared by every replica through the database; rows older than the window are pruned.
    """

    __tablename__ = "applied_request"
    key: str = Field(primary_key=True, max_length=64)  # sha256 of what identifies the request
    team_id: str = Field(default="", max_length=32)  # as the request said; not a foreign key
    signed_at: datetime = Field(index=True)  # the request's own timestamp (Slack's clock)


class DmGreeting(SQLModel, table=True):
    """The short answer to a DM sent to the bot: at most once per conversation per day."""

    __tablename__ = "dm_greeting"
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
