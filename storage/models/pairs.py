"""Pairs, their charter versions, acknowledgements and change requests, and stage changes."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class PairStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    DECLINED = "declined"
    ENDED = "ended"
    EXPIRED = "expired"  # a proposal nobody finished answering within PROPOSAL_LIFETIME


class Stage(StrEnum):
    SKILL_BUILDING = "skill_building"
    CAREER_STRATEGY = "career_strategy"
    PEER_COLLABORATION = "peer_collaboration"


# A pair that is proposed, active or paused is "open"; only one open pair per mentor/mentee.
OPEN_PAIR = "status IN ('proposed', 'active', 'paused')"


class Pair(SQLModel, table=True):
    """A mentor and a mentee, from proposal to ending; `next_*_at` columns drive the scheduler."""

    __table_args__ = (
        Index(
            "uq_pair_open_members",
            "team_id",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=text(OPEN_PAIR),
            postgresql_where=text(OPEN_PAIR),
        ),
        # What the scheduler asks every tick, answered by index range scans over the pairs
        # that are due (status first: paused and ended pairs are outside the range).
        Index("ix_pair_status_due_dates_set", "status", "due_dates_set"),
        Index("ix_pair_status_paused_until", "status", "paused_until"),
        Index("ix_pair_status_home_channel_id", "status", "home_channel_id"),
        Index("ix_pair_status_next_schedule_at", "status", "next_schedule_at"),
        Index("ix_pair_status_next_anniversary_at", "status", "next_anniversary_at"),
        Index("ix_pair_status_streak_check_at", "status", "streak_check_at"),
        Index("ix_pair_status_next_giving_back_at", "status", "next_giving_back_at"),
        Index("ix_pair_status_next_feedback_prompt_at", "status", "next_feedback_prompt_at"),
        Index("ix_pair_status_next_review_at", "status", "next_review_at"),
        Index("ix_pair_status_next_drift_check_at", "status", "next_drift_check_at"),
        Index("ix_pair_status_next_proposal_check_at", "status", "next_proposal_check_at"),
        Index("ix_pair_status_next_ack_reminder_at", "status", "next_ack_reminder_at"),
        Index("ix_pair_status_next_charter_nudge_at", "status", "next_charter_nudge_at"),
        Index("ix_pair_status_next_story_invite_at", "status", "next_story_invite_at"),
        Index("ix_pair_status_next_check_in_at", "status", "next_check_in_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    mentor_id: int = Field(foreign_key="person.id", index=True)
    mentee_id: int = Field(foreign_key="person.id", index=True)
    proposed_by_id: int = Field(foreign_key="person.id")
    cohort_id: int | None = Field(default=None, foreign_key="cohort.id", index=True)
    status: str = Field(default=PairStatus.PROPOSED, max_length=16, index=True)
    stage: str = Field(default=Stage.SKILL_BUILDING, max_length=32)
    mentor_accepted_at: datetime | None = None
    mentee_accepted_at: datetime | None = None
    declined_at: datetime | None = None
    activated_at: datetime | None = None
    paused_until: datetime | None = None
    ended_at: datetime | None = None
    end_kind: str | None = Field(default=None, max_length=16)
    home_channel_id: str | None = Field(default=None, max_length=32)
    # Minutes before a meeting that each member is reminded, unless they chose otherwise for
    # themselves (default: one reminder, the day before; bot/core/reminder_choice.py).
    reminder_offsets: list[int] = Field(default_factory=lambda: [1440], sa_column=Column(JSON))
    last_meeting_at: datetime | None = None
    next_meeting_at: datetime | None = Field(default=None, index=True)
    next_review_at: datetime | None = Field(default=None, index=True)
    next_feedback_prompt_at: datetime | None = Field(default=None, index=True)
    # The scheduler's other due dates (None: nothing to do). A pair that became active is
    # given them once (`due_dates_set`), from then on each is moved on when its work is done
    # or the state it follows changes, so the tick only ever reads what is due.
    due_dates_set: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    next_schedule_at: datetime | None = None  # its series to make, or its next meeting to add
    next_anniversary_at: datetime | None = None  # 3, 6, 12 months together
    streak_check_at: datetime | None = None  # a meeting was logged: has a streak been reached?
    next_giving_back_at: datetime | None = None  # the monthly look at what was shared
    # A proposal still unanswered: when to remind the people asked, then when it expires
    # (bot/pairs/proposal_expiry.py; set when proposed, read only while proposed).
    next_proposal_check_at: datetime | None = None
    # A charter version saved: when to remind the partner if they have not acknowledged it
    # (bot/charter/jobs.py; once per version, cleared after the look).
    next_ack_reminder_at: datetime | None = None
    # No charter yet: when to nudge the pair to write one (day 3, day 10; bot/charter/jobs.py).
    next_charter_nudge_at: datetime | None = None
    # Cadence drift (bot/reflection/drift.py): when to compare the lived rhythm with the
    # agreed one again; what the last look saw (the charter's cadence, meetings expected in the
    # window, meetings held; None: no drift); no offer before `drift_quiet_until`; and whether
    # the pair asked to talk about it in their next review.
    next_drift_check_at: datetime | None = None
    drift_cadence: str | None = Field(default=None, max_length=16)
    drift_expected: int | None = None
    drift_met: int | None = None
    drift_quiet_until: datetime | None = None
    drift_to_review: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # A new chapter after graduating: the pair it continues, and the charter it starts from
    # (the previous one, as a draft to edit and save; not a version until someone saves it).
    # Issue 21: the open question the mentor's last reminder carried (an id of the question
    # bank, bot/meetings/questions.toml), so the next one differs; and, about once a quarter,
    # the mentor's invitation to share a story or a misstep (bot/reflection/story_invites.py):
    # when it is next looked at, and when it was last sent.
    last_question_id: str | None = Field(default=None, max_length=32)
    next_story_invite_at: datetime | None = None
    story_invited_at: datetime | None = None
    previous_pair_id: int | None = Field(default=None, foreign_key="pair.id", index=True)
    charter_draft: dict | None = Field(default=None, sa_column=Column(JSON))
    # After graduating (bot/pairs/keep_in_touch.py): when each member chose "keep in touch"
    # (None: not chosen), and, once both have, when the next light check-in is due (3 and 6
    # months after the end; read only while ended).
    mentor_keeps_in_touch_at: datetime | None = None
    mentee_keeps_in_touch_at: datetime | None = None
    next_check_in_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CharterVersion(SQLModel, table=True):
    """One saved version of a pair's charter; every edit adds a row, none is changed."""

    __tablename__ = "charter_version"
    __table_args__ = (UniqueConstraint("pair_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    version: int
    author_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    mentor_objectives: str = Field(default="", sa_column=Column(Text, nullable=False))
    mentee_objectives: str = Field(default="", sa_column=Column(Text, nullable=False))
    # Before migration 0020 the charter had one shared success field; it is kept for those
    # versions (0020 copied it into both sides) and new versions leave it empty.
    success_looks_like: str = Field(default="", sa_column=Column(Text, nullable=False))
    # What success looks like for each side, and each side's constraints (time, travel,
    # topics to avoid this quarter).
    mentor_success: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )
    mentee_success: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )
    mentor_constraints: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )
    mentee_constraints: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )
    cadence: str = Field(default="biweekly", max_length=16)  # weekly | biweekly | monthly
    weekday: int = 0  # 0 = Monday
    meeting_time: str = Field(default="10:00", max_length=5)  # HH:MM in `timezone`
    timezone: str = Field(default="UTC", max_length=64)
    session_minutes: int = 45
    meeting_format: str = Field(default="video", max_length=16)  # video | in_person | huddle
    async_channel: str = Field(default="", max_length=500)
    feedback_candour: str = Field(default="balanced", max_length=16)
    feedback_frequency_weeks: int = 4
    feedback_medium: str = Field(default="written", max_length=16)
    topics_in_scope: str = Field(default="", sa_column=Column(Text, nullable=False))
    topics_out_of_scope: str = Field(default="", sa_column=Column(Text, nullable=False))
    confidentiality: str = Field(default="", sa_column=Column(Text, nullable=False))
    focus_areas: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    celebration_sharing: str = Field(default="ask", max_length=16)  # ask | always | never
    review_interval_months: int | None = None
    # The first day the series may meet (None: the next matching slot after saving).
    starts_on: date | None = None
    change_summary: str = Field(default="", sa_column=Column(Text, nullable=False))


class CharterAck(SQLModel, table=True):
    """A member's acknowledgement of one charter version."""

    __tablename__ = "charter_ack"
    __table_args__ = (UniqueConstraint("charter_version_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    charter_version_id: int = Field(foreign_key="charter_version.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    acked_at: datetime = Field(default_factory=utcnow)


class CharterChangeRequest(SQLModel, table=True):
    """The partner's answer to a version: not acknowledged, changes asked for, with a note."""

    __tablename__ = "charter_change_request"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    charter_version_id: int = Field(foreign_key="charter_version.id", index=True)
    requester_id: int = Field(foreign_key="person.id")
    note: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # Set when a later version is saved (the request was answered by a new version).
    resolved_at: datetime | None = None


class StageChange(SQLModel, table=True):
    """History of a pair's stage."""

    __tablename__ = "stage_change"
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    from_stage: str = Field(max_length=32)
    to_stage: str = Field(max_length=32)
    changed_by_id: int = Field(foreign_key="person.id")
    changed_at: datetime = Field(default_factory=utcnow)
