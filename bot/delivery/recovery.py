"""Was this message already posted? Reading a conversation's history within Slack's limits.

A row taken over from a sender that died (or retried after an answer that may have come after
Slack posted) may already be in the conversation: its key is in the message's metadata. Slack
limits `conversations.history` per workspace, for a commercially distributed app outside the
Marketplace to one request a minute (and 15 messages a page), so:

- one pass reads each channel at most once; every row waiting on that channel is answered from
  the same page;
- a row the page cannot answer yet (more history than one page, or the workspace's history
  budget spent: Slack answered 429) waits for a later pass, and the next read goes on from
  where the last one stopped; it is never posted until its whole window has been read;
- a page is proof only for the time it covers: a message newer than a resumed read's `latest`
  is not seen there, so such a read answers only the row it was made for.

Where the next read resumes is kept in this process (`_RESUME`), keyed by the row's key and
attempt: another sender that takes the row over (its attempts move on) starts from the top,
which costs reads, never a second post.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery.service import METADATA_EVENT_TYPE
from storage.models import OutboxMessage

# Messages asked for per page (Slack gives a limited app 15 whatever is asked).
PAGE_SIZE = 200
# How long before the row was queued a post of it could be (clocks of two machines differ).
CLOCK_SKEW = timedelta(minutes=5)
# When Slack did not say how long to wait, a page of history comes back after this long.
HISTORY_TURN = timedelta(minutes=1)


@dataclass(frozen=True)
class Posted:
    """The row's message is in the conversation."""

    channel: str
    ts: str


@dataclass(frozen=True)
class NotPosted:
    """The whole window since the row was queued was read: the row was never posted."""


@dataclass(frozen=True)
class Wait:
    """The check cannot be made (or finished) now: try again after `seconds`."""

    seconds: float
    why: str


Checked = Posted | NotPosted | Wait


@dataclass(frozen=True)
class _Page:
    """What one read of a channel showed: keys seen, and the span of time it covers."""

    keys: dict[str, str]  # metadata key → ts
    since: Decimal  # nothing unseen after this (the read's `oldest` when it reached it)
    until: Decimal | None  # the read's `latest`; None: up to the moment it was read


# (row key, attempts) → the `latest` the row's next read starts from (older history).
_RESUME: dict[tuple[str, int], Decimal] = {}
_RESUME_LOCK = threading.Lock()


def _resume_point(row: OutboxMessage) -> Decimal | None:
    with _RESUME_LOCK:
        return _RESUME.get((row.key, row.attempts))


def _set_resume(row: OutboxMessage, latest: Decimal | None) -> None:
    # Decided, or deferred: the row comes back with the same attempts (a wait is not counted).
    with _RESUME_LOCK:
        if latest is None:
            _RESUME.pop((row.key, row.attempts), None)
        else:
            _RESUME[(row.key, row.attempts)] = latest


def _oldest(row: OutboxMessage) -> Decimal:
    return Decimal(f"{max((row.created_at - CLOCK_SKEW).timestamp(), 0):.6f}")


def _retry_after(error: SlackApiError) -> float:
    headers = {key.lower(): value for key, value in (error.response.headers or {}).items()}
    value = headers.get("retry-after")
    value = value[0] if isinstance(value, list) else value
    try:
        return max(float(value), 1.0) if value is not None else HISTORY_TURN.total_seconds()
    except ValueError:
        return HISTORY_TURN.total_seconds()


@dataclass
class HistoryChecks:
    """One delivery pass's history reads, shared by the rows it takes over.

    Errors other than 429 propagate: 5xx are retried as any failed post is; anything else
    means the history cannot be read at all (the caller decides what that means).
    """

    clock: Callable[[], float] = time.monotonic
    reads: int = 0  # conversations.history requests made
    pages: dict[tuple[str, str], _Page] = field(default_factory=dict)
    dms: dict[tuple[str, str], str] = field(default_factory=dict)  # (team, user) → channel
    # Workspaces whose history budget is spent, until when (monotonic).
    blocked: dict[str, float] = field(default_factory=dict)

    def check(self, client: WebClient, row: OutboxMessage) -> Checked:
        """Whether `row`'s message is already in its conversation, or when to ask again."""
        team = row.team_id
        wait = self.blocked.get(team, 0.0) - self.clock()
        if wait > 0:
            return Wait(wait, "waiting to read history (Slack's limit)")
        try:
            channel = self._channel(client, row)
            page = self.pages.get((team, channel))
            if page is None:
                page = self._read(client, row, channel)
        except SlackApiError as error:
            if error.response.status_code != 429:
                raise
            seconds = _retry_after(error)
            self.blocked[team] = self.clock() + seconds
            return Wait(seconds, "waiting to read history (Slack's limit)")
        return self._answer(row, channel, page)

    def _channel(self, client: WebClient, row: OutboxMessage) -> str:
        if row.channel[:1] not in ("U", "W"):
            return row.channel
        key = (row.team_id, row.channel)
        if key not in self.dms:
            opened = client.conversations_open(users=row.channel)
            self.dms[key] = opened["channel"]["id"]
        return self.dms[key]

    def _read(self, client: WebClient, row: OutboxMessage, channel: str) -> _Page:
        oldest, latest = _oldest(row), _resume_point(row)
        self.reads += 1
        history = client.conversations_history(
            channel=channel,
            include_all_metadata=True,
            oldest=f"{oldest:.6f}",
            latest=f"{latest:.6f}" if latest is not None else None,
            limit=PAGE_SIZE,
        )
        messages = history.get("messages", [])
        keys = {}
        for message in messages:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_EVENT_TYPE:
                key = (metadata.get("event_payload") or {}).get("key")
                if key:
                    keys[str(key)] = message["ts"]
        more = bool(
            history.get("has_more") or (history.get("response_metadata") or {}).get("next_cursor")
        )
        # Newest first: a page that stopped short covers down to its oldest message only.
        since = min((Decimal(m["ts"]) for m in messages), default=oldest) if more else oldest
        page = _Page(keys, since, latest)
        self.pages[(row.team_id, channel)] = page
        return page

    def _answer(self, row: OutboxMessage, channel: str, page: _Page) -> Checked:
        if row.key in page.keys:
            _set_resume(row, None)
            return Posted(channel, page.keys[row.key])
        latest = _resume_point(row)
        # The page says nothing about the row unless it reaches up to where the row's
        # unread window ends (the present, or where the row's last read stopped).
        if page.until is not None and (latest is None or page.until < latest):
            return Wait(HISTORY_TURN.total_seconds(), "waiting to read history (one a pass)")
        if page.since <= _oldest(row):
            _set_resume(row, None)
            return NotPosted()
        _set_resume(row, page.since)  # read on from there next time
        return Wait(HISTORY_TURN.total_seconds(), "waiting to read older history")
