"""Private calendar feeds: who may read which feed, and what each series last looked like."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class CalendarFeed(SQLModel, table=True):
    """One person's feed address. Only the token's SHA-256 is kept: the database alone
    cannot rebuild a working address; resetting replaces the hash, so the old one is dead."""

    __tablename__ = "calendar_feed"

    person_id: int = Field(primary_key=True, foreign_key="person.id")
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class CalendarSeries(SQLModel, table=True):
    """What a series' events looked like when a feed last showed them (a fingerprint), so
    SEQUENCE and LAST-MODIFIED move whenever a subscriber would see something new."""

    __tablename__ = "calendar_series"

    series_id: int = Field(primary_key=True, foreign_key="meeting_series.id")
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    fingerprint: str = Field(max_length=64)
    sequence: int = 0
    modified_at: datetime


class PausedSpan(SQLModel, table=True):
    """A span a pair was paused for: the feed leaves out the occurrences it covered, during
    the pause and after it (the pair keeps only the current pause on itself)."""

    __tablename__ = "paused_span"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    starts_at: datetime
    ends_at: datetime  # the planned end, brought forward by an early resume
