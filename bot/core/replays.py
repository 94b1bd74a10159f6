"""A repeated request is applied once.

Slack's signature proves who sent a request, not that it is new: the same bytes with the same
signature are accepted again for five minutes, and a client that posts twice, or anyone who
copied a request, sends exactly that. Slack itself never sends an interaction twice, so a
request whose identity was already seen is a repeat: it is acknowledged and does nothing.

The identity is the signature with its timestamp (the signature covers the timestamp and the
whole body). Socket Mode has no signature; there the interaction's own ids stand in (its type,
trigger id, view id and action time). Events have their own de-duplication by event id,
remembered for EVENTS_REMEMBERED_FOR.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# What may write: commands, clicks, submissions, shortcuts. Not block_suggestion, which only
# reads (a repeated options request must be answered again), nor events.
APPLIED_ONCE = {"block_actions", "view_submission", "view_closed", "shortcut", "message_action"}
# Slack refuses a signature older than five minutes; remembering twice as long leaves margin
# for replicas whose clocks differ.
REMEMBER_FOR = timedelta(minutes=10)
# Slack retries an event it thinks we missed three times within about five minutes (at once,
# after a minute, after five). A day is far beyond that and still keeps the table small: the
# ids of older events are forgotten.
EVENTS_REMEMBERED_FOR = timedelta(hours=24)
# Forgetting is one indexed DELETE, done at most this often by each process.
PRUNE_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class RequestIdentity:
    """What makes a request this request, and when Slack signed it."""

    key: str
    team_id: str
    signed_at: datetime


def _first(headers: Mapping[str, Sequence[str] | str], name: str) -> str | None:
    value = headers.get(name)
    if isinstance(value, str):
        return value
    return value[0] if value else None


def request_identity(
    body: Mapping[str, object], headers: Mapping[str, Sequence[str] | str], now: datetime
) -> RequestIdentity | None:
    """The identity of a request that can write, or None for one that is never remembered."""
    if not body.get("command") and body.get("type") not in APPLIED_ONCE:
        return None
    signature = _first(headers, "x-slack-signature")
    timestamp = _first(headers, "x-slack-request-timestamp")
    if signature and timestamp and timestamp.isascii() and timestamp.isdigit():
        signed_at = datetime.fromtimestamp(int(timestamp), UTC)
        return RequestIdentity(_digest("signed", timestamp, signature), _team(body), signed_at)
    trigger_id = body.get("trigger_id")
    if not isinstance(trigger_id, str) or not trigger_id:
        return None  # nothing identifies it: better applied than refused
    view = body.get("view")
    view_id = view.get("id") if isinstance(view, dict) else None
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    action_ts = first.get("action_ts") if isinstance(first, dict) else None
    kind = str(body.get("command") or body.get("type"))
    key = _digest("ids", kind, trigger_id, str(view_id), str(action_ts))
    return RequestIdentity(key, _team(body), now)


def _team(body: Mapping[str, object]) -> str:
    """The workspace the request says it comes from ("" when it does not say)."""
    team = body.get("team")
    user = body.get("user")
    for candidate in (
        body.get("team_id"),
        team.get("id") if isinstance(team, dict) else None,
        user.get("team_id") if isinstance(user, dict) else None,
    ):
        if isinstance(candidate, str) and candidate:
            return candidate
    return ""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()
