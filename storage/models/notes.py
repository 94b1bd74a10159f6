"""What each member wrote about a meeting: their part of the shared notes, and private notes."""

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class MeetingNote(SQLModel, table=True):
    """One member's notes on one meeting: shared (both see it, each author keeps their own part)
    or private (only the author ever sees it; never exported, never shown to admins)."""

    __tablename__ = "meeting_note"
    __table_args__ = (UniqueConstraint("meeting_id", "author_id", "private"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    author_id: int = Field(foreign_key="person.id", index=True)
    private: bool = False
    discussed: str = Field(default="", sa_column=Column(Text, nullable=False))
    lesson: str = Field(default="", sa_column=Column(Text, nullable=False))
    next_actions: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
