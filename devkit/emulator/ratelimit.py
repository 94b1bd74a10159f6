"""Slack's rate limits, as the emulator enforces them (when asked to).

Slack limits each Web API method per workspace (tiers: Tier 2 about 20 calls a minute, Tier 3
about 50, Tier 4 about 100) and `chat.postMessage` also per channel: about one message a
second, with short bursts allowed. Beyond a limit Slack answers HTTP 429 with
``{"ok": false, "error": "ratelimited"}`` and ``Retry-After`` (whole seconds).

Each limit here is a token bucket: ``rate`` tokens a second up to ``burst``; a call takes one
token or is refused with the seconds until one is back (at least 1, as Slack's header is an
integer). A refused call takes nothing, so a client that waits ``Retry-After`` gets through.

Example::

    limits = RateLimits(workspace={"chat.postMessage": Budget(per_second=50, burst=50)})
    SlackEmulator(rate_limits=limits)

Each workspace (team) has its own buckets: calls made with another installation's token
(``SlackEmulator.add_team_token``) count against that team's limits, which can differ
(``SlackEmulator.set_team_rate_limits``), as a workspace Slack throttles harder would.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TIER_2 = 20 / 60
TIER_3 = 50 / 60
TIER_4 = 100 / 60


@dataclass(frozen=True)
class Budget:
    """A sustained rate (calls a second) and how many calls may come at once."""

    per_second: float
    burst: int


def _tiers() -> dict[str, Budget]:
    return {
        "conversations.open": Budget(TIER_3, 10),
        "conversations.history": Budget(TIER_3, 10),
        "conversations.info": Budget(TIER_3, 10),
        "conversations.members": Budget(TIER_4, 20),
        "users.info": Budget(TIER_4, 20),
        "users.lookupByEmail": Budget(TIER_3, 10),
        "users.list": Budget(TIER_2, 5),
        "views.open": Budget(TIER_4, 20),
        "views.update": Budget(TIER_4, 20),
        "views.push": Budget(TIER_4, 20),
        "views.publish": Budget(TIER_4, 20),
        "chat.update": Budget(TIER_3, 10),
        "chat.postEphemeral": Budget(TIER_4, 20),
        # Slack's workspace-wide limit on posting is "several hundred a minute".
        "chat.postMessage": Budget(5, 20),
    }


# conversations.history (and .replies) for a commercially distributed app outside the Slack
# Marketplace, since 2025: one request a minute per workspace (SLACK_NOTES).
LIMITED_HISTORY = Budget(1 / 60, 1)


@dataclass(frozen=True)
class RateLimits:
    """What the emulator allows: per method per workspace, and per channel for posting.

    ``workspace`` maps a method to its budget (methods not named are unlimited);
    ``per_channel`` is the chat.postMessage budget of each conversation.
    """

    workspace: dict[str, Budget] = field(default_factory=_tiers)
    per_channel: Budget = Budget(1.0, 3)

    def with_method(self, method: str, budget: Budget) -> RateLimits:
        """The same limits with `method`'s workspace budget replaced."""
        return RateLimits({**self.workspace, method: budget}, self.per_channel)


class _Bucket:
    def __init__(self, budget: Budget, now: float) -> None:
        self.budget = budget
        self.tokens = float(budget.burst)
        self.at = now

    def _refill(self, now: float) -> None:
        elapsed = max(now - self.at, 0.0)
        self.tokens = min(float(self.budget.burst), self.tokens + elapsed * self.budget.per_second)
        self.at = now

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0: one is available now)."""
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.budget.per_second

    def take(self) -> None:
        self.tokens -= 1


class RateLimiter:
    """Decides, call by call, whether Slack would answer or refuse with 429."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self.refused = 0
        # Workspaces whose limits differ from `limits` (the others share its budgets' sizes).
        self.team_limits: dict[str, RateLimits] = {}

    def set_team_limits(self, team: str, limits: RateLimits) -> None:
        """Give workspace `team` its own limits (its buckets start full)."""
        with self._lock:
            self.team_limits[team] = limits
            for key in [key for key in self._buckets if key[0].startswith(f"{team}/")]:
                del self._buckets[key]

    def _bucket(self, key: tuple[str, str], budget: Budget, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(budget, now)
        return bucket

    def admit(self, method: str, channel: str | None = None, team: str = "") -> int | None:
        """Take a token for one call; None if allowed, else the Retry-After seconds.

        `channel` is the conversation a chat.postMessage goes to (resolved to its id); `team`
        the workspace whose token made the call ("": the emulator's own).
        """
        with self._lock:
            now = self._clock()
            buckets = []
            limits = self.team_limits.get(team, self.limits)
            budget = limits.workspace.get(method)
            if budget is not None:
                buckets.append(self._bucket((f"{team}/method", method), budget, now))
            if method == "chat.postMessage" and channel:
                key = (f"{team}/channel", channel)
                buckets.append(self._bucket(key, limits.per_channel, now))
            wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
            if wait > 0:
                self.refused += 1
                return max(1, math.ceil(wait))
            for bucket in buckets:
                bucket.take()
            return None


def floor_seconds(messages: int, budget: Budget) -> float:
    """The least time `messages` posts can take under `budget`: the burst goes at once, the
    rest at the sustained rate."""
    return max(messages - budget.burst, 0) / budget.per_second
