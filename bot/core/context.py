"""What every part of the bot shares: settings, the database, the clock, Slack clients, and
what the areas contribute.

Areas never import one another's producers, status lines or Home sections: each offers its
own, `bot.assembly` (the entry layer) puts them in order in one `Parts`, and the running
`Tandem` carries it to whoever draws a shared surface (`bot.surfaces`) or runs the tick.
"""

from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.membership import Membership
from bot.core.metrics import Metrics, outbox_reader
from bot.core.slack_client import (
    QUICK_RETRY_WAITS,
    SlackWaits,
    delivery_client,
    interactive_client,
)
from storage.db import session_scope
from storage.models import Pair, Person

TokenLookup = Callable[[str], str | None]

Block = dict[str, Any]

# Looks at the database at `now` and queues whatever became due, returning how many messages
# it queued. Idempotent: outbox keys make a repeated call add nothing.
Producer = Callable[["Tandem", Session, datetime], int]

# Gives pairs the scheduler starts to track the due dates (`next_*_at`) its area's producers
# read, a batch of pairs at a time, keeping any date already set.
DueDates = Callable[[Session, list[Any], datetime], None]

# mrkdwn lines about each live pair of one person as they see it (`/tandem status` and Home),
# by pair id ([] or absent when there is nothing to say). All the person's pairs come at
# once so an area reads them in a constant number of statements, never a few per pair. Only
# the member's own pairs are passed in, so a line may show anything the two of them may see.
# A `StatusLines` may also carry a button.
StatusLine = Callable[[Session, list[Membership], datetime], Mapping[int, list[str]]]

# Blocks shown under a live pair's section on the Home tab (e.g. its stage select).
PairBlocks = Callable[[Membership], list[Block]]

# Buttons an area adds to the row that starts things in an active pair, on the Home tab.
StartButtons = Callable[[Membership], list[Block]]

# Buttons beside "My preferences" on Home, about the person rather than one pair (e.g. their
# calendar feed), given the settings and all their pairs.
HomeButtons = Callable[[Settings, list[Membership]], list[Block]]

# "Waiting on you" items on the Home tab: what one person is asked to do in their pairs (the
# open ones, all passed at once so an area reads them in a constant number of statements),
# each a block or two with its button.
WaitingOn = Callable[[Session, list[Membership], datetime], list[Block]]

# Blocks about the person's ended pairs on the Home tab (Past mentorships): all of their ended
# pairs at once, read in a constant number of statements; [] when there is nothing to show.
PastSection = Callable[[Session, list[Membership], datetime], list[Block]]

# Blocks an area adds at the end of a mentor's meeting reminder, given the pair, the mentee,
# the time and the kinds of nudge the mentor muted or snoozed (e.g. the quarterly invitation
# to share a story, riding along instead of a DM of its own). It may move the pair's own due
# dates on when it returns blocks: the pair row is written back in the reminders' batch.
MentorReminderExtras = Callable[[Pair, Person, datetime, Collection[str]], list[Block]]

# Blocks in the admins' part of the Home tab: numbers, dates and reasons, never private text.
AdminSection = Callable[[Session, str, datetime], list[Block]]


class StatusLines(list[str]):
    """Status lines with a button to show beside the pair's section (e.g. "Acknowledge v2")."""

    def __init__(self, lines: list[str], button: Block | None = None) -> None:
        super().__init__(lines)
        self.button = button


@dataclass(frozen=True)
class Parts:
    """Every area's contributions, in the order they run or are shown."""

    producers: tuple[Producer, ...] = ()
    due_dates: tuple[DueDates, ...] = ()
    status_lines: tuple[StatusLine, ...] = ()
    waiting_on: tuple[WaitingOn, ...] = ()
    pair_blocks: tuple[PairBlocks, ...] = ()
    start_buttons: tuple[StartButtons, ...] = ()
    home_buttons: tuple[HomeButtons, ...] = ()
    admin_sections: tuple[AdminSection, ...] = ()
    past_sections: tuple[PastSection, ...] = ()
    mentor_reminder_extras: tuple[MentorReminderExtras, ...] = ()
    # event type → who reacts to it, in the publisher's transaction (see bot.core.events)
    subscribers: Mapping[type, tuple[Callable[..., None], ...]] = field(default_factory=dict)


@dataclass
class Tandem:
    """The running application: one per process, safe to share between threads."""

    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=SystemClock)
    # For OAuth installs the token depends on the workspace; the default is the single bot token.
    token_for_team: TokenLookup | None = None
    # Called after a unit of work queued messages, so they go out now rather than at the next tick.
    on_outbox_changed: Callable[[], None] = lambda: None
    # What the areas contribute (producers, status lines, Home sections, event subscribers),
    # assembled by the entry layer (bot.assembly); empty for a bare context.
    parts: Parts = field(default_factory=Parts)
    # This process's own numbers for GET /metrics (its own registry, not the global one).
    metrics: Metrics = field(init=False, repr=False)
    # Methods Slack asked this process to wait for, by workspace (see SlackWaits).
    slack_waits: SlackWaits = field(default_factory=SlackWaits, repr=False)
    # How long a client waits before its quick retry of a server or connection error
    # (slack_sdk's jittered backoff; a test passes waits that take no real time).
    retry_waits: RetryIntervalCalculator = field(default=QUICK_RETRY_WAITS, repr=False)

    def __post_init__(self) -> None:
        self.metrics = Metrics(outbox=outbox_reader(self.engine, lambda: self.clock.now()))

    def session(self) -> AbstractContextManager[Session]:
        """A new session for one unit of work (committed on success)."""
        return session_scope(self.engine)

    def token(self, team_id: str) -> str | None:
        """The bot token to act in `team_id`."""
        if self.token_for_team is not None:
            return self.token_for_team(team_id)
        return self.settings.slack_bot_token

    def client(self, team_id: str) -> WebClient:
        """A Web API client for listeners' own calls in `team_id`."""
        return interactive_client(
            self.token(team_id),
            self.settings.slack_api_url,
            self.metrics.slack_watch(team_id),
            self.retry_waits,
        )

    def delivery_client(self, team_id: str) -> WebClient:
        """A Web API client for the outbox sender in `team_id`."""
        return delivery_client(
            self.token(team_id),
            self.settings.slack_api_url,
            self.metrics.slack_watch(team_id),
            self.retry_waits,
        )
