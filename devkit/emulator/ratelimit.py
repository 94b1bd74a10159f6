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

Off by default, so tests that post in bursts stay fast. ``RateLimits()`` is Slack's published
tiers for every method Tandem calls (`TIERS`); the environment variable
``TANDEM_EMULATOR_RATE_LIMITS=slack`` turns them on for every emulator built without
explicit limits (``tandem demo``, a benchmark, a whole test run). The limiter's clock can be
moved on without waiting (``SlackEmulator.pass_time``), so minutes of Slack's budget can be
spent in seconds, as a benchmark with a moving clock needs.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Budget:
    """A sustained rate (calls a second) and how many calls may come at once.

    With ``window`` (seconds), the budget is a sliding window instead of a token bucket: at
    most ``burst`` calls in any ``window`` seconds (Slack's tiers: "50 a minute").
    """

    per_second: float
    burst: int
    window: float = 0.0

    @classmethod
    def per_minute(cls, calls: int) -> Budget:
        """At most `calls` in any 60 seconds."""
        return cls(calls / 60, calls, 60.0)


TIER_1 = 1 / 60
TIER_2 = 20 / 60
TIER_3 = 50 / 60
TIER_4 = 100 / 60

# Slack's tiers as budgets: so many calls in any minute, all at once if the app likes (Slack
# "tolerates bursts"), never more within the minute.
TIER_BUDGETS = {
    1: Budget.per_minute(1),
    2: Budget.per_minute(20),
    3: Budget.per_minute(50),
    4: Budget.per_minute(100),
}

# The tier of every Web API method Tandem (or slack_sdk on its behalf) calls, as Slack's method
# reference gives it. chat.postMessage is "special": about one a second per channel
# (`RateLimits.per_channel`) under a workspace-wide limit of several hundred a minute.
TIERS = {
    "apps.connections.open": 1,
    "auth.test": 4,  # "special", hundreds a minute: Tier 4 is as close as a tier gets
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "conversations.history": 3,
    "conversations.info": 3,
    "conversations.members": 4,
    "conversations.open": 3,
    "files.completeUploadExternal": 4,
    "files.getUploadURLExternal": 4,
    "files.info": 4,
    "oauth.v2.access": 4,
    "team.info": 3,
    "users.info": 4,
    "users.list": 2,
    "users.lookupByEmail": 3,
    "views.open": 4,
    "views.publish": 4,
    "views.push": 4,
    "views.update": 4,
}
# Slack's workspace-wide limit on posting is "several hundred a minute".
POST_MESSAGE = Budget(5, 20)
ENVIRONMENT = "TANDEM_EMULATOR_RATE_LIMITS"


def _tiers() -> dict[str, Budget]:
    return {
        **{method: TIER_BUDGETS[tier] for method, tier in TIERS.items()},
        "chat.postMessage": POST_MESSAGE,
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

    @classmethod
    def from_environment(cls) -> RateLimits | None:
        """Slack's tiers when ``TANDEM_EMULATOR_RATE_LIMITS`` is ``slack`` (or ``on``, ``1``),
        else None (no limits, the default)."""
        value = os.environ.get(ENVIRONMENT, "").strip().lower()
        return cls() if value in ("slack", "on", "1", "true") else None


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

    def take(self, now: float) -> None:
        self.tokens -= 1


class _Window:
    """At most `budget.burst` calls in any `budget.window` seconds."""

    def __init__(self, budget: Budget, now: float) -> None:
        self.budget = budget
        self.admitted: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until the oldest call in the window leaves it (0: room now)."""
        while self.admitted and self.admitted[0] <= now - self.budget.window:
            self.admitted.popleft()
        if len(self.admitted) < self.budget.burst:
            return 0.0
        return self.admitted[0] + self.budget.window - now

    def take(self, now: float) -> None:
        self.admitted.append(now)


class RateLimiter:
    """Decides, call by call, whether Slack would answer or refuse with 429."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._passed = 0.0  # seconds the limiter was told had passed (`pass_time`)
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], _Bucket | _Window] = {}
        self.refused = 0
        # Workspaces whose limits differ from `limits` (the others share its budgets' sizes).
        self.team_limits: dict[str, RateLimits] = {}

    def now(self) -> float:
        """The limiter's clock: the real one, plus every `pass_time`."""
        return self._clock() + self._passed

    def pass_time(self, seconds: float) -> None:
        """Act as if `seconds` had gone by: every bucket refills accordingly."""
        with self._lock:
            self._passed += max(seconds, 0.0)

    def set_team_limits(self, team: str, limits: RateLimits) -> None:
        """Give workspace `team` its own limits (its buckets start full)."""
        with self._lock:
            self.team_limits[team] = limits
            for key in [key for key in self._buckets if key[0].startswith(f"{team}/")]:
                del self._buckets[key]

    def _bucket(self, key: tuple[str, str], budget: Budget, now: float) -> _Bucket | _Window:
        bucket = self._buckets.get(key)
        if bucket is None:
            kind = _Window if budget.window > 0 else _Bucket
            bucket = self._buckets[key] = kind(budget, now)
        return bucket

    def admit(self, method: str, channel: str | None = None, team: str = "") -> int | None:
        """Take a token for one call; None if allowed, else the Retry-After seconds.

        `channel` is the conversation a chat.postMessage goes to (resolved to its id); `team`
        the workspace whose token made the call ("": the emulator's own).
        """
        with self._lock:
            now = self._clock() + self._passed
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
                bucket.take(now)
            return None


def floor_seconds(messages: int, budget: Budget) -> float:
    """The least time `messages` posts can take under `budget`: the burst goes at once, the
    rest at the sustained rate (a window's worth each window, for a windowed budget)."""
    beyond = max(messages - budget.burst, 0)
    if budget.window > 0:
        return math.ceil(beyond / budget.burst) * budget.window
    return beyond / budget.per_second
