"""Goals, their milestones, progress updates, history and celebrations."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class GoalStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    PAUSED = "paused"
    DROPPED = "dropped"


class Goal(SQLModel, table=True):
    """A goal one member of a pair owns."""

    # "These pairs' goals with this status" (status, Home): read by pair, not by status.
    __table_args__ = (Index("ix_goal_pair_id_status", "pair_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    owner_id: int = Field(foreign_key="person.id")
    created_by_id: int = Field(foreign_key="person.id")
    title: str = Field(max_length=150)
    why: str = Field(default="", sa_column=Column(Text, nullable=False))
    target_date: date | None = None
    status: str = Field(default=GoalStatus.ACTIVE, max_length=16, index=True)
    status_reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    percent: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
    # The goal of the previous chapter this one carries on (a new pair after graduating).
    carried_from_id: int | None = Field(default=None, foreign_key="goal.id")


class Milestone(SQLModel, table=True):
    """A step towards a goal, optionally with a due date."""

    __table_args__ = (UniqueConstraint("goal_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    position: int
    title: str = Field(max_length=150)
    due_date: date | None = None
    done_at: datetime | None = None
    done_by_id: int | None = Field(default=None, foreign_key="person.id")


class GoalUpdate(SQLModel, table=True):
    """A progress update on a goal; an experiment carries hypothesis, what was tried, result."""

    __tablename__ = "goal_update"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    author_id: int = Field(foreign_key="person.id")
    percent: int
    happened: str = Field(default="", sa_column=Column(Text, nullable=False))
    next_steps: str = Field(default="", sa_column=Column(Text, nullable=False))
    blockers: str = Field(default="", sa_column=Column(Text, nullable=False))
    is_experiment: bool = False
    hypothesis: str = Field(default="", sa_column=Column(Text, nullable=False))
    tried: str = Field(default="", sa_column=Column(Text, nullable=False))
    result: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class GoalEvent(SQLModel, table=True):
    """History of a goal: created, status changed, milestone ticked or unticked, edited."""

    __tablename__ = "goal_event"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    actor_id: int = Field(foreign_key="person.id")
    kind: str = Field(max_length=32)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ShareStatus(StrEnum):
    """Where a celebration stands with the programme's channel."""

    NOT_ASKED = "not_asked"  # nothing to share (anniversaries, streaks)
    NO_CHANNEL = "no_channel"  # no celebrations channel configured
    NEVER = "never"  # the charter says never share
    ASKED = "asked"  # the owner was asked and has not answered
    DECLINED = "declined"
    SHARING = "sharing"  # the announcement is in the outbox
    SHARED = "shared"
    FAILED = "failed"  # Slack refused it for good; the owner was told and can retry


class PersonalWin(SQLModel, table=True):
    """A win outside any goal (`/tandem celebrate`: a new job, a talk given), in its owner's
    words: seen by the pair, and by the celebrations channel only with the owner's consent."""

    __tablename__ = "personal_win"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    owner_id: int = Field(foreign_key="person.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Celebration(SQLModel, table=True):
    """A win worth marking (milestone, goal, personal win, anniversary, streak) and whether it
    was shared."""

    __table_args__ = (UniqueConstraint("pair_id", "kind", "subject_key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    kind: str = Field(max_length=16)  # milestone | goal | win | anniversary | streak
    subject_key: str = Field(max_length=64)  # e.g. milestone id, win id, "6m", "streak-5"
    share_status: str = Field(default=ShareStatus.NOT_ASKED, max_length=16, index=True)
    # How many announcements were queued (each retry gets a new outbox key).
    share_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # For a pair's own occasions (anniversary, streak): who said yes to sharing; both must.
    consented_by: list[str] | None = Field(default=None, sa_column=Column(JSON))
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
