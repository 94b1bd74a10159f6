"""Sending queued messages: claim with a lease, post, record; keep Slack's pace; retry.

One row's life: claimed (a conditional update only one sender can win; SKIP LOCKED on
PostgreSQL) → too late, or a nudge for a pair no longer active (bot/delivery/kind_rules.py)?
expired → quiet hours? held until morning → over the daily limit? folded into tomorrow's
digest → posted with its key in the message metadata → recorded.

A sender that dies after posting but before recording leaves the row claimed; once its lease
runs out another sender takes it over and first looks for the key in the conversation's
history, so the message is recorded instead of posted twice (bot/delivery/recovery.py: one
read per channel a pass; a row whose check cannot be made yet waits, it is never re-posted
unchecked).

Workspaces share a pass fairly: a claim gives each workspace its turn (at most PER_TEAM rows of
one workspace held at once), and a workspace Slack asks to wait waits alone: its Retry-After
holds back its own rows, never another workspace's.

Slack's answers:
- 429: the pass waits Retry-After and carries on (bot/delivery/pace.py: that channel waits,
  or the whole workspace when its budget is spent) while other channels' rows go out; it is
  never counted as an attempt. A Retry-After longer than MAX_INLINE_WAIT sends the
  workspace's rows back to the outbox until then.
- 5xx and connection errors: first the delivery client's quick retries with jitter
  (bot/slack_client.py), then the outbox's backoff with jitter, up to MAX_ATTEMPTS.
- Permanent errors (user deactivated, channel archived...) are recorded as failed for admins
  to see (`storage.queries.delivery.failed_deliveries`).
Nothing is dropped silently: every row ends sent, folded into a digest, expired (with why) or
failed (with the error).
"""

import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.events import MemberGone, publish
from bot.core.logs import fields_of
from bot.delivery import bundle, daily_limit, digest
from bot.delivery.claims import (
    BATCH_SIZE,
    LEASE,
    PER_TEAM,
    claim_batch,
    finish,
    update_claimed,
)
from bot.delivery.gate import EXPIRED, FOLDED, HELD, Go, gate
from bot.delivery.kind_rules import is_nudge
from bot.delivery.pace import MAX_INLINE_WAIT, Pace
from bot.delivery.recovery import HistoryChecks, NotPosted, Posted, Wait
from bot.delivery.service import message_metadata
from storage.db import session_scope
from storage.models import OutboxMessage, OutboxStatus, Pair, PairStatus
from storage.queries.delivery import next_pending_at
from storage.queries.workspaces import uninstalled_reason

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "DeliveryReport",
    "Pace",
    "claim_batch",
    "deliver_due",
]

log = logging.getLogger(__name__)

# Transient failures back off about 30 s, 1 min, 2 min ... an hour: about nine hours in all.
MAX_ATTEMPTS = 16
# Each backoff is stretched or shrunk by up to this share, so rows that failed together (an
# outage) do not all come back in the same second.
BACKOFF_JITTER = 0.2
# Errors that retrying cannot fix: recorded on the row (and shown to admins), never retried.
# A DM failing so may mean its recipient was deactivated: users.info says whether.
RECIPIENT_GONE = frozenset({"user_not_found", "account_inactive", "user_disabled"})
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "invalid_auth",
        "invalid_blocks",
        "is_archived",
        "msg_too_long",
        "no_text",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "team_access_not_granted",
        "token_revoked",
        "too_many_attachments",
        "user_disabled",
        "user_not_found",
        "missing_scope",
        "invalid_arguments",
        "invalid_metadata_format",
        "invalid_metadata_schema",
    }
)


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    deferred: int = 0  # Slack asked us to wait, or failed in a way worth retrying
    failed: int = 0  # permanently; see failed_deliveries
    expired: int = 0  # too late to matter
    recovered: int = 0  # found already posted after a crash, recorded instead of re-sent
    unchecked: int = 0  # taken over, but history could not be read yet: waiting, not re-sent
    held: int = 0  # quiet hours: waiting for the recipient's morning
    folded: int = 0  # over the daily limit: waiting in tomorrow's digest
    rate_limited: int = 0  # 429 answers, each waited out (not counted as attempts)
    bundled: int = 0  # routine DMs sent inside another one due for the same person
    waited_seconds: float = 0.0  # time the pass spent waiting for Slack's pace


@dataclass
class _Pass:
    """State shared by the rows of one delivery pass."""

    now: datetime
    pace: Pace
    report: DeliveryReport = field(default_factory=DeliveryReport)
    history: HistoryChecks = field(default_factory=HistoryChecks)
    # Workspaces that asked for a long wait: their rows go back to the outbox until then
    # (and the pass claims no more of theirs).
    throttled: dict[str, datetime] = field(default_factory=dict)
    # Workspaces Tandem may not post in (uninstalled, token revoked) and why; None: it may.
    uninstalled: dict[str, str | None] = field(default_factory=dict)
    # Rows offered to a bundle that did not join it: they are sent on their own.
    unbundled: list[OutboxMessage] = field(default_factory=list)
    # Each workspace's client, made once a claimed batch: under OAuth making one reads the
    # installation store, a query per message otherwise (the sender's own cost per post is
    # what bounds a single sender serving many workspaces at once).
    clients: dict[str, WebClient] = field(default_factory=dict)

    def client(self, ctx: Tandem, team_id: str) -> WebClient:
        """The delivery client of `team_id` until the next claim."""
        if team_id not in self.clients:
            self.clients[team_id] = ctx.delivery_client(team_id)
        return self.clients[team_id]


# What send_one did with a row: finished with it, or Slack asked to wait (the row stays claimed).
DONE, AGAIN = "done", "again"


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts`: about 30 s, 1 min, 2 min ... at most an hour."""
    base = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return timedelta(seconds=base * random.uniform(1 - BACKOFF_JITTER, 1 + BACKOFF_JITTER))


def _header(error: SlackApiError, name: str) -> str | None:
    for key, value in (error.response.headers or {}).items():
        if key.lower() == name.lower():
            return value[0] if isinstance(value, list) else value
    return None


def _retry_after(error: SlackApiError) -> timedelta:
    try:
        return timedelta(seconds=max(float(_header(error, "Retry-After") or 1), 1))
    except ValueError:
        return timedelta(seconds=1)


def _error_code(error: SlackApiError) -> str:
    data = error.response.data if isinstance(error.response.data, dict) else {}
    return str(data.get("error") or f"http_{error.response.status_code}")


def _give_back(ctx: Tandem, row: OutboxMessage, go: Go) -> None:
    if go.slot is not None:
        with session_scope(ctx.engine) as session:
            daily_limit.release(session, row.team_id, *go.slot)


def _defer(
    ctx: Tandem,
    row: OutboxMessage,
    when: datetime,
    why: str,
    report: DeliveryReport,
    *,
    counts: bool = True,
) -> None:
    """Put a claimed row back for a later pass; `counts=False` when Slack only asked us to wait."""
    values: dict[str, object] = {
        "status": OutboxStatus.PENDING,
        "deliver_after": when,
        "lease_until": None,
        "last_error": why[:500],
    }
    if not counts:
        values["attempts"] = row.attempts - 1
    finish(ctx, row, **values)
    report.deferred += 1
    if counts:
        ctx.metrics.retried.labels(team=row.team_id, kind=row.kind).inc()


def _record_sent(
    ctx: Tandem, row: OutboxMessage, now: datetime, channel: str | None, ts: str | None
) -> None:
    with session_scope(ctx.engine) as session:
        update_claimed(
            session,
            row,
            status=OutboxStatus.SENT,
            sent_at=now,
            lease_until=None,
            sent_channel=channel,
            sent_ts=ts,
            last_error=None,
        )
        if channel and ts and (row.kind == digest.DIGEST_KIND or bundle.carries(row)):
            digest.mark_delivered(session, row.key, now, channel, ts)
    ctx.metrics.sent.labels(team=row.team_id, kind=row.kind).inc()


def _post(ctx: Tandem, row: OutboxMessage, go: Go, run: _Pass) -> Wait | None:
    """Post the row (after checking its history when a post of it may have reached Slack
    before); a Wait when that check cannot be made yet."""
    client = run.client(ctx, row.team_id)
    if row.attempts > 1:
        # We may have posted it and crashed before recording: look before posting again.
        try:
            checked = run.history.check(client, row)
        except SlackApiError as error:
            if error.response.status_code >= 500:
                raise
            # History we cannot read (e.g. a channel without the scope): posting again
            # risks a duplicate, which beats losing the message.
            log.warning("outbox %s: cannot check history: %s", row.key, _error_code(error))
            checked = NotPosted()
        if isinstance(checked, Wait):
            return checked
        if isinstance(checked, Posted):
            _record_sent(ctx, row, run.now, checked.channel, checked.ts)
            run.report.recovered += 1
            return None
    response = client.chat_postMessage(
        channel=row.channel,
        text=go.text,
        blocks=go.blocks,
        metadata=message_metadata(row.key),
        unfurl_links=False,
    )
    run.pace.sent(row.team_id, row.channel)
    _record_sent(ctx, row, run.now, response.get("channel"), response.get("ts"))
    run.report.sent += 1
    return None


def _nudge_for_inactive_pair(ctx: Tandem, row: OutboxMessage) -> bool:
    """A nudge (snoozed, or queued just before a pause or an ending) whose pair is no longer
    active: Tandem does not nudge paused or ended pairs."""
    if row.pair_id is None or not is_nudge(row.kind, row.key):
        return False
    with session_scope(ctx.engine) as session:
        pair = session.get(Pair, row.pair_id)
        return pair is None or pair.status != PairStatus.ACTIVE


def _limited_channel(error: SlackApiError, row: OutboxMessage) -> str | None:
    """The channel a 429 was about (chat.postMessage), or None (a workspace-wide method)."""
    url = getattr(error.response, "api_url", "") or ""
    return row.channel if url.endswith("chat.postMessage") else None


def _uninstalled(ctx: Tandem, team_id: str, run: _Pass) -> str | None:
    """Why nothing may be posted in `team_id` (uninstalled, token revoked), asked once a pass."""
    if team_id not in run.uninstalled:
        with session_scope(ctx.engine) as session:
            run.uninstalled[team_id] = uninstalled_reason(session, team_id)
    return run.uninstalled[team_id]


def _aboard(
    ctx: Tandem, session: Session, riders: list[OutboxMessage], run: _Pass
) -> list[OutboxMessage]:
    """The riders (each still current and its pair active) that may go out now inside a
    carrier cleared to go; the others are moved on by their own gate (held, folded, expired)."""
    taken = []
    for rider in riders:
        own = gate(ctx, session, rider, run.now)
        if isinstance(own, str):
            _count(run.report, own)
            continue
        if own.slot is not None:  # the bundle is one DM: it counts once, as its carrier
            daily_limit.release(session, rider.team_id, *own.slot)
        taken.append(rider)
    return taken


def _count(report: DeliveryReport, outcome: str) -> None:
    report.held += outcome == HELD
    report.folded += outcome == FOLDED
    report.expired += outcome == EXPIRED


def send_one(
    ctx: Tandem, row: OutboxMessage, run: _Pass, riders: list[OutboxMessage] | None = None
) -> str:
    """Post one claimed row (or hold, fold or expire it) and record what happened; `riders`
    (other routine DMs for the same person claimed in this pass) go inside it when they may.

    Returns AGAIN when Slack asked to wait a little: the row stays claimed for this pass.
    """
    now, report = run.now, run.report
    # Riders go with their carrier only if it goes now; otherwise each is sent on its own.
    run.unbundled += riders or []
    # Whatever queued it, and whenever: nothing is ever posted where Tandem is not installed.
    gone = _uninstalled(ctx, row.team_id, run)
    if gone is not None:
        finish(ctx, row, status=OutboxStatus.EXPIRED, lease_until=None, last_error=gone)
        report.expired += 1
        return DONE
    if row.expires_at is not None and now > row.expires_at:
        finish(ctx, row, status=OutboxStatus.EXPIRED, lease_until=None, last_error="too late")
        report.expired += 1
        return DONE
    if _nudge_for_inactive_pair(ctx, row):
        finish(
            ctx, row, status=OutboxStatus.EXPIRED, lease_until=None, last_error="pair not active"
        )
        report.expired += 1
        return DONE
    waiting = run.throttled.get(row.team_id)
    if waiting is not None:
        _defer(ctx, row, waiting, "rate limited by Slack", report, counts=False)
        return DONE
    # Riders too late or for a pair no longer active are sent (expired) on their own; looked
    # at before the gate's transaction, which holds SQLite's write lock.
    current = [
        r
        for r in riders or []
        if not (r.expires_at is not None and now > r.expires_at)
        and not _nudge_for_inactive_pair(ctx, r)
    ]
    with session_scope(ctx.engine) as session:
        go = gate(ctx, session, row, now)
        if not isinstance(go, str) and current:
            offered = {rider.id for rider in current}
            run.unbundled = [r for r in run.unbundled if r.id not in offered]
            taken = _aboard(ctx, session, current, run)
            text, blocks, carried = bundle.carry(session, row, go.text, go.blocks, taken)
            if carried:
                go = Go(text, blocks, slot=go.slot)
                report.bundled += len(taken)
            else:
                run.unbundled += taken
    if isinstance(go, str):
        _count(report, go)
        return DONE
    try:
        unchecked = _post(ctx, row, go, run)
        if unchecked is not None:
            _give_back(ctx, row, go)
            later = now + timedelta(seconds=max(unchecked.seconds, 1.0))
            _defer(ctx, row, later, unchecked.why, report, counts=False)
            report.unchecked += 1
    except SlackApiError as error:
        _give_back(ctx, row, go)
        code = _error_code(error)
        if error.response.status_code == 429:
            wait = _retry_after(error)
            report.rate_limited += 1
            if wait.total_seconds() <= MAX_INLINE_WAIT:
                run.pace.rate_limited(
                    row.team_id, _limited_channel(error, row), wait.total_seconds()
                )
                return AGAIN
            until = run.throttled[row.team_id] = now + wait
            _defer(ctx, row, until, "rate limited by Slack", report, counts=False)
        elif code in PERMANENT_ERRORS or row.attempts >= MAX_ATTEMPTS:
            why = code if code in PERMANENT_ERRORS else f"gave up after {row.attempts}: {code}"
            log.warning(
                "outbox %s failed permanently: %s",
                row.key,
                why,
                extra=fields_of(team=row.team_id, pair=row.pair_id, kind=row.kind, key=row.key),
            )
            finish(ctx, row, status=OutboxStatus.FAILED, last_error=why, lease_until=None)
            report.failed += 1
            ctx.metrics.failed.labels(team=row.team_id, kind=row.kind).inc()
            if code in RECIPIENT_GONE and row.recipient_user_id:
                _recipient_gone(ctx, row.team_id, row.recipient_user_id, now)
        else:
            _defer(ctx, row, now + backoff(row.attempts), code, report)
    except (URLError, TimeoutError, ConnectionError, OSError) as error:
        _give_back(ctx, row, go)
        if row.attempts >= MAX_ATTEMPTS:
            why = f"gave up after {row.attempts}: network: {error}"[:500]
            finish(ctx, row, status=OutboxStatus.FAILED, last_error=why, lease_until=None)
            report.failed += 1
            ctx.metrics.failed.labels(team=row.team_id, kind=row.kind).inc()
        else:
            _defer(ctx, row, now + backoff(row.attempts), f"network: {error}", report)
    return DONE


def _recipient_gone(ctx: Tandem, team_id: str, user_id: str, now: datetime) -> None:
    """A DM failed as if its recipient had left: when users.info says they are deactivated,
    the areas that hold their pairs and pool places react (bot.core.events.MemberGone)."""
    try:
        user = ctx.delivery_client(team_id).users_info(user=user_id).get("user") or {}
    except SlackApiError as error:  # we can't tell: the failed message stays in the admin's list
        log.warning("users.info %s after a failed send: %s", user_id, _error_code(error))
        return
    if user.get("deleted"):
        with session_scope(ctx.engine) as session:
            publish(ctx, session, MemberGone(team_id, user_id, now))


@dataclass
class _Claimed:
    """A row this pass holds, and when (monotonic) it was claimed."""

    row: OutboxMessage
    at: float


def _send_ready(ctx: Tandem, held: list[_Claimed], run: _Pass) -> list[_Claimed]:
    """Send every held row whose channel and workspace may be posted to now; the rest wait."""
    pace, still = run.pace, []
    # Half the lease: a row must be sent or handed back long before another sender may take
    # it over.
    patience = LEASE.total_seconds() / 2
    riders = bundle.bundles([c.row for c in held if pace.is_ready(c.row.team_id, c.row.channel)])
    aboard = {rider.id for group in riders.values() for rider in group}
    claims = {claimed.row.id: claimed for claimed in held}
    for claimed in held:
        row = claimed.row
        if row.id in aboard:
            continue  # offered to its carrier (below); sent on its own if it did not go
        if not pace.is_ready(row.team_id, row.channel):
            # Slack asked this channel to wait meanwhile: its riders wait with it.
            still += [claims[rider.id] for rider in riders.get(row.id or 0, [])]
            if pace.clock() - claimed.at > patience:
                later = run.now + timedelta(
                    seconds=max(1.0, pace.ready_at(row.team_id, row.channel) - pace.clock())
                )
                run.throttled.setdefault(row.team_id, later)
                _defer(ctx, row, later, "rate limited by Slack", run.report, counts=False)
            else:
                still.append(claimed)
        elif send_one(ctx, row, run, riders.get(row.id or 0)) == AGAIN:
            still.append(claimed)
        while run.unbundled:
            alone = run.unbundled.pop()
            if send_one(ctx, alone, run) == AGAIN:
                still.append(claims[alone.id])
    return still


def _skipped_teams(held: list[_Claimed], run: _Pass) -> frozenset[str]:
    """Workspaces the next claim leaves out: those told to wait past this pass, and those
    whose rows this pass already holds PER_TEAM of."""
    counts = Counter(claimed.row.team_id for claimed in held)
    return frozenset(run.throttled) | {team for team, n in counts.items() if n >= PER_TEAM}


def deliver_due(
    ctx: Tandem,
    now: datetime | None = None,
    *,
    pace: Pace | None = None,
    max_seconds: float | None = None,
) -> DeliveryReport:
    """Send every outbox row due at `now` (the clock's now, read again for each batch, when
    not given), at Slack's pace: a channel or workspace that asked to wait waits, the others
    go on. `max_seconds` stops claiming new rows after that long (the rest stay queued for
    the next pass); rows deferred by a retry wait for a later pass."""
    pinned = now is not None
    run = _Pass(now=now or ctx.clock.now(), pace=pace or Pace())
    started = run.pace.clock()
    held: list[_Claimed] = []
    # The workspaces left out of the last claim that found nothing: asking again with the
    # same ones left out would find nothing again.
    exhausted: frozenset[str] | None = None
    while True:
        claiming = max_seconds is None or run.pace.clock() - started <= max_seconds
        if claiming and len(held) < BATCH_SIZE:
            skip = _skipped_teams(held, run)
            if skip != exhausted:
                if not pinned:
                    run.now = ctx.clock.now()
                batch = claim_batch(ctx, run.now, skip_teams=skip)
                exhausted = None if batch else skip
                if batch:  # a token changed by a reinstall is read again at each claim
                    run.clients.clear()
                at = run.pace.clock()
                held += [_Claimed(row, at) for row in batch]
        if not held:
            break
        held = _send_ready(ctx, held, run)
        if held and not any(run.pace.is_ready(c.row.team_id, c.row.channel) for c in held):
            if claiming and len(held) < BATCH_SIZE and _skipped_teams(held, run) != exhausted:
                continue  # another workspace's rows may go while these wait
            run.pace.wait_until(min(run.pace.ready_at(c.row.team_id, c.row.channel) for c in held))
    run.report.waited_seconds = run.pace.waited
    return run.report


def next_delivery_at(ctx: Tandem) -> datetime | None:
    """When the earliest pending row becomes due (for a sender deciding how long to sleep)."""
    with session_scope(ctx.engine) as session:
        return next_pending_at(session)
