"""Each person's own say over Tandem's nudges, and whose Home tab needs publishing again."""

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class Preference(SQLModel, table=True):
    """A person's own quiet hours (overriding the workspace's) and the nudges they muted."""

    __tablename__ = "person_preference"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    # Both None: the workspace's quiet hours apply. Equal: no quiet hours for this person.
    quiet_hours_start: str | None = Field(default=None, max_length=5)
    quiet_hours_end: str | None = Field(default=None, max_length=5)
    muted_kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    # The meeting reminders they want (bot/core/reminder_choice.py); None: the pair's settings.
    reminders: str | None = Field(default=None, max_length=16)
    updated_at: datetime = Field(default_factory=utcnow)


class NudgeSnooze(SQLModel, table=True):
    """No nudge of `kind` reaches the person before `until` (it waits, it is not dropped)."""

    __tablename__ = "nudge_snooze"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    kind: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    until: datetime
    created_at: datetime = Field(default_factory=utcnow)


class HomeRefresh(SQLModel, table=True):
    """A person whose Home tab changed: published again by the delivery worker, once however
    many changes piled up, and at a pace Slack's views.publish limits allow."""

    __tablename__ = "home_refresh"

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    due_at: datetime = Field(index=True)
    attempts: int = 0
