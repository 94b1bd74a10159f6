"""What an operator watches: the numbers behind `GET /metrics`, in Prometheus' text format.

Each running Tandem owns its registry (never prometheus_client's global one), so every
replica exposes its own numbers, and tests or the demo running several apps in one process
keep theirs apart.

Two kinds of numbers:
- counted as they happen, in this process: what the sender did with messages, Slack's
  answers, how long each tick and each acknowledgement took;
- read from the database at scrape time, shared by every replica: what the outbox still holds
  and how long the oldest due message has waited (one indexed query, whatever the size of the
  programme).

Labels are only ever team, kind, status and method: nothing names a person, a pair or a text.
"""

import logging
import re
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.db import reading, session_scope
from storage.queries.monitoring import OutboxGroup, outbox_in_hand

log = logging.getLogger(__name__)

# An acknowledgement later than this is close to Slack's 3-second deadline, past which the
# person sees "dispatch_failed" or a modal that will not close.
SLOW_ACK_SECONDS = 2.5
# Around Slack's 3 s deadline, finer below it.
ACK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0, 10.0)
# A tick has a minute; one taking half of it leaves the delivery worker behind.
TICK_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
# Slack's error codes are short snake_case words; anything else is shown as "other" so that
# an odd answer cannot make a label of arbitrary text.
_ERROR_CODE = re.compile(r"^[a-z0-9_]{1,60}$")
# Request kinds as Slack sends them → the kind a listener is counted under.
_KINDS = {
    "block_actions": "action",
    "interactive_message": "action",
    "block_suggestion": "action",
    "shortcut": "action",
    "message_action": "action",
    "view_submission": "view",
    "view_closed": "view",
    "event_callback": "event",
}

OutboxReader = Callable[[], tuple[list[OutboxGroup], datetime]]


def request_kind(body: dict) -> str:
    """command, action, view, event (or other) for a request's parsed body."""
    if body.get("command"):
        return "command"
    return _KINDS.get(str(body.get("type")), "other")


def answer_status(status_code: int | None, body: dict | None) -> str:
    """How Slack answered one call: ok, 429, 5xx, network, or Slack's error code."""
    if status_code is None:
        return "network"
    if status_code == 429:
        return "429"
    if status_code >= 500:
        return "5xx"
    body = body or {}
    if body.get("ok"):
        return "ok"
    code = str(body.get("error") or f"http_{status_code}")
    return code if _ERROR_CODE.match(code) else "other"


class Metrics:
    """The running app's registry and every number Tandem counts."""

    def __init__(self, outbox: OutboxReader | None = None) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.sent = Counter(
            "tandem_outbox_sent",
            "Messages posted to Slack (or found already posted after a crash).",
            ["team", "kind"],
            registry=registry,
        )
        self.failed = Counter(
            "tandem_outbox_failed",
            "Messages failed for good: a permanent Slack error, or every retry spent.",
            ["team", "kind"],
            registry=registry,
        )
        self.retried = Counter(
            "tandem_outbox_retried",
            "Messages put back for a later try after a transient error (not 429 waits).",
            ["team", "kind"],
            registry=registry,
        )
        self.slack_answers = Counter(
            "tandem_slack_answers",
            "Slack Web API answers by status: ok, 429, 5xx, network, or Slack's error code.",
            ["team", "method", "status"],
            registry=registry,
        )
        self.tick_seconds = Histogram(
            "tandem_tick_duration_seconds",
            "How long one run of due work took (producers, delivery, Homes).",
            buckets=TICK_BUCKETS,
            registry=registry,
        )
        self.producer_failures = Counter(
            "tandem_producer_failures",
            "Producers that raised during a tick (rolled back alone, retried next tick).",
            ["kind"],
            registry=registry,
        )
        self.ack_seconds = Histogram(
            "tandem_listener_ack_seconds",
            "Time from a Slack request's arrival to its acknowledgement, by kind.",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=registry,
        )
        self.slow_acks = Counter(
            "tandem_slow_acks",
            f"Acknowledgements later than {SLOW_ACK_SECONDS} s (Slack gives up at 3 s).",
            ["kind"],
            registry=registry,
        )
        if outbox is not None:
            registry.register(_OutboxCollector(outbox))

    def acknowledged(self, kind: str, seconds: float) -> None:
        """Count one request acknowledged after `seconds`."""
        self.ack_seconds.labels(kind=kind).observe(seconds)
        if seconds > SLOW_ACK_SECONDS:
            self.slow_acks.labels(kind=kind).inc()

    def slack_watch(self, team: str) -> RetryHandler:
        """A retry handler that retries nothing and counts every answer Slack gives a
        client acting in `team` (first in the client's list, so it sees every attempt).

        With `team` empty (a client made before any workspace is known: Bolt's own, which it
        also uses for the OAuth code exchange), each answer is counted under the workspace it
        names (oauth.v2.access, auth.test), else under "unknown": never under an empty team.
        """
        return _SlackWatch(self, team)

    def for_team(self, handlers: list[RetryHandler], team: str) -> list[RetryHandler]:
        """`handlers` with any answer counter among them counting for `team` instead (Bolt
        copies its one client's handlers into each request's client: see bot.app)."""
        return [_SlackWatch(self, team) if isinstance(h, _SlackWatch) else h for h in handlers]

    def exposition(self) -> bytes:
        """Every metric, in Prometheus' text format."""
        return generate_latest(self.registry)


class _SlackWatch(RetryHandler):
    """Counts each attempt's answer; slack_sdk asks every handler in turn, so saying "no"
    here leaves the decision to the real retry handlers after it."""

    def __init__(self, metrics: Metrics, team: str) -> None:
        super().__init__(max_retry_count=0)
        self._answers = metrics.slack_answers
        self._team = team

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        body = response.body if response is not None else None
        status = answer_status(response.status_code if response is not None else None, body)
        method = request.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        team = self._team or _answer_team(body) or UNKNOWN_TEAM
        self._answers.labels(team=team, method=method, status=status).inc()
        return False


# The team label of an answer to a call made before any workspace was known, naming none.
UNKNOWN_TEAM = "unknown"
_TEAM_ID = re.compile(r"^[A-Z0-9]{1,30}$")


def _answer_team(body: dict | None) -> str | None:
    """The workspace (or organisation) an answer names: oauth.v2.access's team or enterprise,
    auth.test's team_id; only if it looks like a Slack id, so no text becomes a label."""
    if not isinstance(body, dict):
        return None
    found: object = body.get("team_id")
    for key in ("team", "enterprise"):
        if not found and isinstance(body.get(key), dict):
            found = body[key].get("id")
    return found if isinstance(found, str) and _TEAM_ID.match(found) else None


class _OutboxCollector(Collector):
    """The outbox as the database holds it at scrape time (shared by every replica)."""

    def __init__(self, read: OutboxReader) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        messages = GaugeMetricFamily(
            "tandem_outbox_messages",
            "Messages the outbox still holds: pending, sending (claimed), failed for good.",
            labels=["team", "kind", "status"],
        )
        oldest = GaugeMetricFamily(
            "tandem_outbox_oldest_waiting_seconds",
            "How long the oldest message due to be sent has waited, by workspace.",
            labels=["team"],
        )
        try:
            groups, now = self._read()
        except SQLAlchemyError as error:  # a scrape reports what it can; /healthz says why
            log.warning("metrics: cannot read the outbox: %s", type(error).__name__)
            groups, now = [], None
        waited: dict[str, float] = {}
        for group in groups:
            messages.add_metric([group.team_id, group.kind, group.status], group.count)
            if group.oldest_due is not None and now is not None:
                age = max((now - group.oldest_due).total_seconds(), 0.0)
                waited[group.team_id] = max(waited.get(group.team_id, 0.0), age)
        for team, age in sorted(waited.items()):
            oldest.add_metric([team], age)
        yield messages
        yield oldest

    def describe(self) -> Iterator[Metric]:
        # Registering must not query the database: describe without reading.
        return iter(())


def outbox_reader(engine: Engine, now: Callable[[], datetime]) -> OutboxReader:
    """Reads the outbox's groups on `engine` at `now()`, for the collector."""

    def read() -> tuple[list[OutboxGroup], datetime]:
        at = now()
        # A read that neither waits for Slack's writes nor holds them up (SQLite's one writer).
        with reading(engine) as connection, session_scope(connection) as session:
            return outbox_in_hand(session, at), at

    return read
