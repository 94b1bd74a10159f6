"""Every table, imported once so SQLModel.metadata (and Alembic) knows the whole schema."""

from storage.models.base import utcnow
from storage.models.calendar import CalendarFeed, CalendarSeries, PausedSpan
from storage.models.goals import (
    Celebration,
    Goal,
    GoalEvent,
    GoalStatus,
    GoalUpdate,
    Milestone,
    PersonalWin,
)
from storage.models.meetings import AgendaItem, Meeting, MeetingSeries, MeetingStatus
from storage.models.notes import MeetingNote
from storage.models.outbox import DailyDmCount, OutboxMessage, OutboxStatus
from storage.models.pairs import (
    CharterAck,
    CharterChangeRequest,
    CharterVersion,
    Pair,
    PairStatus,
    Stage,
    StageChange,
)
from storage.models.preferences import HomeRefresh, NudgeSnooze, Preference
from storage.models.programme import (
    AdminAction,
    Cohort,
    JoinProfile,
    JoinRole,
    MatchProposal,
    MatchRound,
    PairImport,
)
from storage.models.reflection import (
    Contribution,
    Feedback,
    GivingBack,
    Retrospective,
    Review,
    ReviewAnswer,
)
from storage.models.workspace import (
    AppliedRequest,
    DmGreeting,
    Person,
    ProcessedEvent,
    Workspace,
)

__all__ = [
    "AdminAction",
    "AgendaItem",
    "AppliedRequest",
    "CalendarFeed",
    "CalendarSeries",
    "Celebration",
    "PersonalWin",
    "CharterAck",
    "CharterChangeRequest",
    "CharterVersion",
    "Cohort",
    "Contribution",
    "DailyDmCount",
    "DmGreeting",
    "Feedback",
    "Goal",
    "HomeRefresh",
    "GivingBack",
    "GoalEvent",
    "GoalStatus",
    "GoalUpdate",
    "JoinProfile",
    "JoinRole",
    "MatchProposal",
    "MatchRound",
    "PairImport",
    "Meeting",
    "MeetingNote",
    "MeetingSeries",
    "MeetingStatus",
    "Milestone",
    "NudgeSnooze",
    "OutboxMessage",
    "OutboxStatus",
    "Pair",
    "PausedSpan",
    "PairStatus",
    "Person",
    "Preference",
    "ProcessedEvent",
    "Retrospective",
    "Review",
    "ReviewAnswer",
    "Stage",
    "StageChange",
    "Workspace",
    "utcnow",
]
