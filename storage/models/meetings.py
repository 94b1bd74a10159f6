"""Meeting series (recurrence), meetings with their notes, and agenda items."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    MET = "met"
    RESCHEDULED = "rescheduled"
    SKIPPED = "skipped"
    # The charter's cadence changed (or the pair paused) and this occurrence no longer exists.
    CANCELLED = "cancelled"


class MeetingSeries(SQLModel, table=True):
    """A pair's recurrence: an RFC 5545 rule, its local start and its IANA timezone, kept apart."""

    __tablename__ = "meeting_series"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    # One series per pair, changed in place when the charter changes (so two schedulers that
    # both notice a pair without one cannot give it two).
    pair_id: int = Field(foreign_key="pair.id", index=True, unique=True)
    charter_version_id: int | None = Field(default=None, foreign_key="charter_version.id")
    uid: str = Field(max_length=128, unique=True)  # stable UID for the .ics
    rrule: str = Field(max_length=500)
    local_start: str = Field(max_length=19)  # "YYYY-MM-DDTHH:MM:SS", wall time in `timezone`
    timezone: str = Field(max_length=64)
    duration_minutes: int = 45
    active: bool = True
    # Bumped each time the rule changes, so a re-imported .ics updates the calendar event.
    sequence: int = 0
    # The lapse clock: since when no meeting was logged, and when to look at it again.
    lapse_since: datetime | None = None
    next_lapse_at: datetime | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Meeting(SQLModel, table=True):
    """One occurrence (or an off-schedule meeting) and what the pair wrote about it."""

    __table_args__ = (
        UniqueConstraint("pair_id", "occurrence_at"),
        # "These pairs' meetings with this status since then" (status, Home, health): every
        # term matched, so SQLite does not read the whole programme through ix_meeting_status.
        Index("ix_meeting_pair_id_status_starts_at", "pair_id", "status", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    series_id: int | None = Field(default=None, foreign_key="meeting_series.id")
    occurrence_at: datetime | None = None  # the series instant this row stands for
    starts_at: datetime = Field(index=True)  # when it actually is (after any reschedule)
    duration_minutes: int = 45
    status: str = Field(default=MeetingStatus.SCHEDULED, max_length=16, index=True)
    # Bumped whenever the time changes: part of every notification key for this meeting, so a
    # moved meeting gets fresh reminders even though the old ones were queued (or cancelled).
    revision: int = 0
    # When the next reminder or follow-up for this meeting is due (None: nothing left to send).
    next_nudge_at: datetime | None = Field(default=None, index=True)
    discussed: str = Field(default="", sa_column=Column(Text, nullable=False))
    lesson: str = Field(default="", sa_column=Column(Text, nullable=False))
    next_actions: str = Field(default="", sa_column=Column(Text, nullable=False))
    focus_areas: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    logged_by_id: int | None = Field(default=None, foreign_key="person.id")
    logged_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class AgendaItem(SQLModel, table=True):
    """Something a member wants to discuss at the next meeting."""

    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    author_id: int = Field(foreign_key="person.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
