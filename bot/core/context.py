"""What every part of the bot shares: settings, the database, the clock, Slack clients, and
what the areas contribute."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.parts import Parts
from bot.core.slack_client import delivery_client, interactive_client
from storage.db import session_scope

TokenLookup = Callable[[str], str | None]


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
        return interactive_client(self.token(team_id), self.settings.slack_api_url)

    def delivery_client(self, team_id: str) -> WebClient:
        """A Web API client for the outbox sender in `team_id`."""
        return delivery_client(self.token(team_id), self.settings.slack_api_url)
