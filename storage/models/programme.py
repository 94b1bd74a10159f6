"""The programme layer: cohorts, people who opted in to matching, matching rounds, and the
record of what admins did to pairs."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class Cohort(SQLModel, table=True):
    """A group of pairs that starts and ends together (e.g. "Spring 2027")."""

    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    name: str = Field(max_length=80)
    starts_on: date
    ends_on: date
    # When its pairs are invited to a closing review (the day after `ends_on`, 09:00 UTC);
    # cleared once the invitations are queued.
    closing_due_at: datetime | None = Field(default=None, index=True)
    closed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    # The cohort's own settings; None falls back to the workspace's (bot.core.programme_settings).
    default_cadence: str | None = Field(default=None, max_length=16)
    review_interval_months: int | None = None
    celebrations_channel: str | None = Field(default=None, max_length=32)


class JoinRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    EITHER = "either"


class JoinProfile(SQLModel, table=True):
    """Someone who opted in to matching with `/tandem join` (until `/tandem leave`)."""

    __tablename__ = "join_profile"
    __table_args__ = (UniqueConstraint("team_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=16)
    offers: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    seeks: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    capacity: int = 1
    # Shown to admins in a matching round, so it is said in the form to be seen by them.
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    # The form has said since migration 0017 that the proposed partner sees the note too; a
    # note written before that was promised to admins only, so it reaches no partner.
    note_for_partner: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    in_pool: bool = Field(default=True, index=True)
    joined_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # Working hours in their own timezone, minutes after midnight (09:00–17:00 unless the
    # join form says otherwise); flexible people are taken as available 07:00–21:00.
    work_start_minute: int = Field(default=540, sa_column_kwargs={"server_default": "540"})
    work_end_minute: int = Field(default=1020, sa_column_kwargs={"server_default": "1020"})
    flexible_hours: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Working style, each optional ("" when not said): a tie-breaker in matching.
    style_channel: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    style_pace: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    style_feedback: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})


class MatchRound(SQLModel, table=True):
    """A matching round an admin ran: what it proposed, until the admin sends it."""

    __tablename__ = "match_round"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    run_by_user_id: str = Field(max_length=32)
    seed: int
    cohort_id: int | None = Field(default=None, foreign_key="cohort.id")
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    discarded_at: datetime | None = None  # the admin threw it away: never sent, not reopened
    # Who the round left unmatched and why ([person id, reason]), told once it is sent.
    unmatched: list[list] | None = Field(default=None, sa_column=Column(JSON))


class MatchProposal(SQLModel, table=True):
    """One match a round proposed, with its reasons; dropped by the admin or sent."""

    __tablename__ = "match_proposal"
    __table_args__ = (UniqueConstraint("round_id", "mentor_id", "mentee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    round_id: int = Field(foreign_key="match_round.id", index=True)
    mentor_id: int = Field(foreign_key="person.id")
    mentee_id: int = Field(foreign_key="person.id")
    shared_topics: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    overlap_minutes: int = 0
    dropped: bool = False
    pair_id: int | None = Field(default=None, foreign_key="pair.id")
    outcome: str = Field(default="", max_length=200)  # after sending: proposed, or why not
    # A shared working style decided between mentors otherwise as good for this mentee.
    similar_style: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class AdminAction(SQLModel, table=True):
    """Something an admin did to the programme: who, when, to which pair (never private text)."""

    __tablename__ = "admin_action"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    admin_user_id: str = Field(max_length=32)
    action: str = Field(max_length=32)
    pair_id: int | None = Field(default=None, foreign_key="pair.id", index=True)
    detail: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class PairImport(SQLModel, table=True):
    """A list of pairs an admin brought in from Slack, checked and previewed; nothing is
    proposed until they press Send (once: `sent_at` is claimed by one click only)."""

    __tablename__ = "pair_import"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    admin_user_id: str = Field(max_length=32)
    default_cohort_id: int | None = Field(default=None, foreign_key="cohort.id")
    # [line number, mentor user id, mentee user id, cohort name or null]: the valid lines
    lines: list[list] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # [line number, reason]: the lines the preview refused
    refused: list[list] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    cancelled_at: datetime | None = None
