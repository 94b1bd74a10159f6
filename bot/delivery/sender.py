"""Sending queued messages: claim with a lease, post, record; retry what Slack asks to retry.

One row's life: claimed (a conditional update only one sender can win; SKIP LOCKED on
PostgreSQL) → too late? expired → quiet hours? held until morning → over the daily limit?
folded into tomorrow's digest → posted with its key in the message metadata → recorded.

A sender that dies after posting but before recording leaves the row claimed; once its lease
runs out another sender takes it over and first looks for the key in the conversation's
history, so the message is recorded instead of posted twice.

Slack's answers: 429 waits exactly Retry-After (and pauses the rest of that workspace's batch;
it is not counted as an attempt), 5xx, timeouts and unknown errors back off and retry up to
MAX_ATTEMPTS, permanent errors (user deactivated, channel archived...) are recorded as failed
for admins to see (`storage.queries.delivery.failed_deliveries`). Nothing is dropped silently:
every row ends sent, folded into a digest, expired (with why) or failed (with the error).
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from bot.context import Tandem
from bot.delivery import daily_limit, digest
from bot.delivery.outbox import METADATA_EVENT_TYPE, message_metadata
from bot.delivery.policy import QuietHours, local_day, next_morning, quiet_hours, release_time
from bot.people import find_person, person_zone
from storage.db import is_postgres, session_scope
from storage.models import OutboxMessage, OutboxStatus, Workspace

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
# Transient failures back off 30 s, 1 min, 2 min ... an hour: about nine hours in all.
MAX_ATTEMPTS = 16
BATCH_SIZE = 100
DEFAULT_DAILY_LIMIT = 3
HISTORY_PAGES = 3  # how far back (x200 messages) we look for a message we may have posted
# Errors that retrying cannot fix: recorded on the row (and shown to admins), never retried.
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
    held: int = 0  # quiet hours: waiting for the recipient's morning
    folded: int = 0  # over the daily limit: waiting in tomorrow's digest


@dataclass
class _Pass:
    """State shared by the rows of one delivery pass."""

    now: datetime
    report: DeliveryReport = field(default_factory=DeliveryReport)
    throttled: dict[str, datetime] = field(default_factory=dict)  # team → Retry-After end


@dataclass
class _Go:
    """Permission to post a claimed row, and what to give back if it is not posted."""

    text: str
    blocks: list[dict[str, Any]] | None
    slot: tuple[str, date] | None = None  # a reserved daily-limit slot (user, day)


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts`: 30 s, 1 min, 2 min ... at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.deliver_after <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim_batch(ctx: Tandem, now: datetime, limit: int = BATCH_SIZE) -> list[OutboxMessage]:
    """Claim up to `limit` due rows for this sender; a row is claimed by exactly one caller.

    The conditional update is the guarantee on every database; on PostgreSQL, SKIP LOCKED
    also keeps concurrent senders from queueing behind each other's rows. A row whose lease
    ran out (its sender died) is claimable again: that is the takeover.
    """
    with session_scope(ctx.engine) as session:
        query = (
            select(OutboxMessage.id)
            .where(_claimable(now))
            .order_by(col(OutboxMessage.deliver_after), col(OutboxMessage.id))
            .limit(limit)
        )
        if is_postgres(ctx.engine):
            query = query.with_for_update(skip_locked=True)
        ids = list(session.exec(query).all())
        claimed: list[int] = []
        for row_id in ids:
            result = session.exec(  # type: ignore[call-overload]
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id, _claimable(now))
                .values(
                    status=OutboxStatus.SENDING,
                    lease_until=now + LEASE,
                    attempts=OutboxMessage.attempts + 1,
                )
            )
            if result.rowcount:
                claimed.append(row_id)
        session.flush()
        if not claimed:
            return []
        return list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.id).in_(claimed))
                .order_by(col(OutboxMessage.deliver_after), col(OutboxMessage.id))
            )
        )


def _update_claimed(session: Session, row: OutboxMessage, **values: object) -> bool:
    """Change a row we claimed, unless another sender took it over after our lease ran out."""
    result = session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == row.id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.attempts == row.attempts,
        )
        .values(**values)
    )
    return bool(result.rowcount)


def _finish(ctx: Tandem, row: OutboxMessage, **values: object) -> bool:
    with session_scope(ctx.engine) as session:
        return _update_claimed(session, row, **values)


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


def find_posted(client: WebClient, row: OutboxMessage) -> tuple[str, str] | None:
    """(channel, ts) of a message already posted for `row`, found by its metadata key."""
    channel = row.channel
    if channel[:1] in ("U", "W"):
        channel = client.conversations_open(users=channel)["channel"]["id"]
    oldest = (row.created_at - timedelta(minutes=5)).timestamp()
    cursor = None
    for _ in range(HISTORY_PAGES):
        history = client.conversations_history(
            channel=channel,
            include_all_metadata=True,
            oldest=f"{max(oldest, 0):.6f}",
            limit=200,
            cursor=cursor,
        )
        for message in history.get("messages", []):
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT_TYPE
                and (metadata.get("event_payload") or {}).get("key") == row.key
            ):
                return channel, message["ts"]
        cursor = (history.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return None


def _zone_of(ctx: Tandem, session: Session, team_id: str, user_id: str):  # type: ignore[no-untyped-def]
    return person_zone(find_person(session, team_id, user_id), ctx.settings)


def _gate(ctx: Tandem, session: Session, row: OutboxMessage, run: _Pass) -> _Go | None:
    """Apply quiet hours, the digest and the daily limit; None when the row is not posted now."""
    now, report = run.now, run.report
    people = [row.recipient_user_id] if row.recipient_user_id else list(row.audience or [])
    if not people:
        return _Go(row.text, row.blocks)
    workspace = session.get(Workspace, row.team_id)
    quiet = (
        quiet_hours(workspace.quiet_hours_start, workspace.quiet_hours_end)
        if workspace
        else QuietHours()
    )
    zones = [_zone_of(ctx, session, row.team_id, user_id) for user_id in people]
    release = release_time(now, zones, quiet)
    if release > now and (row.expires_at is None or release < row.expires_at):
        if _update_claimed(
            session,
            row,
            status=OutboxStatus.PENDING,
            deliver_after=release,
            attempts=row.attempts - 1,  # waiting for morning is not a failed attempt
            lease_until=None,
            last_error="held: quiet hours",
        ):
            report.held += 1
        return None
    if not row.recipient_user_id:
        return _Go(row.text, row.blocks)
    user_id, day = row.recipient_user_id, local_day(now, zones[0])
    if row.kind == digest.DIGEST_KIND:
        content = digest.compose(session, row, now)
        if content is None:
            expired = _update_claimed(
                session,
                row,
                status=OutboxStatus.EXPIRED,
                lease_until=None,
                last_error="nothing left to show",
            )
            report.expired += int(expired)
            return None
        if not _update_claimed(session, row, text=content["text"], blocks=content["blocks"]):
            return None
        daily_limit.count(session, row.team_id, user_id, day)
        return _Go(content["text"], content["blocks"])
    if row.exempt_from_cap:
        daily_limit.count(session, row.team_id, user_id, day)
        return _Go(row.text, row.blocks)
    limit = workspace.daily_dm_limit if workspace else DEFAULT_DAILY_LIMIT
    if daily_limit.reserve(session, row.team_id, user_id, day, limit):
        return _Go(row.text, row.blocks, slot=(user_id, day))
    key = digest.fold(session, row, day, next_morning(now, zones[0], quiet))
    folded = _update_claimed(
        session,
        row,
        status=OutboxStatus.FOLDED,
        folded_into=key,
        lease_until=None,
        last_error=f"over the daily limit of {limit}",
    )
    report.folded += int(folded)
    return None


def _give_back(ctx: Tandem, row: OutboxMessage, go: _Go) -> None:
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
    _finish(ctx, row, **values)
    report.deferred += 1


def _record_sent(
    ctx: Tandem, row: OutboxMessage, now: datetime, channel: str | None, ts: str | None
) -> None:
    with session_scope(ctx.engine) as session:
        _update_claimed(
            session,
            row,
            status=OutboxStatus.SENT,
            sent_at=now,
            lease_until=None,
            sent_channel=channel,
            sent_ts=ts,
            last_error=None,
        )
        if row.kind == digest.DIGEST_KIND and channel and ts:
            digest.mark_delivered(session, row.key, now, channel, ts)


def _post(ctx: Tandem, row: OutboxMessage, go: _Go, run: _Pass) -> None:
    client = ctx.delivery_client(row.team_id)
    if row.attempts > 1:
        # We may have posted it and crashed before recording: look before posting again.
        try:
            posted = find_posted(client, row)
        except SlackApiError as error:
            if error.response.status_code == 429 or error.response.status_code >= 500:
                raise
            # History we cannot read (e.g. a channel without the scope): posting again
            # risks a duplicate, which beats losing the message.
            log.warning("outbox %s: cannot check history: %s", row.key, _error_code(error))
            posted = None
        if posted is not None:
            _record_sent(ctx, row, run.now, *posted)
            run.report.recovered += 1
            return
    response = client.chat_postMessage(
        channel=row.channel,
        text=go.text,
        blocks=go.blocks,
        metadata=message_metadata(row.key),
        unfurl_links=False,
    )
    _record_sent(ctx, row, run.now, response.get("channel"), response.get("ts"))
    run.report.sent += 1


def send_one(ctx: Tandem, row: OutboxMessage, run: _Pass) -> None:
    """Post one claimed row (or hold, fold or expire it) and record what happened."""
    now, report = run.now, run.report
    if row.expires_at is not None and now > row.expires_at:
        _finish(ctx, row, status=OutboxStatus.EXPIRED, lease_until=None, last_error="too late")
        report.expired += 1
        return
    waiting = run.throttled.get(row.team_id)
    if waiting is not None:
        _defer(ctx, row, waiting, "rate limited by Slack", report, counts=False)
        return
    with session_scope(ctx.engine) as session:
        go = _gate(ctx, session, row, run)
    if go is None:
        return
    try:
        _post(ctx, row, go, run)
    except SlackApiError as error:
        _give_back(ctx, row, go)
        code = _error_code(error)
        if error.response.status_code == 429:
            until = run.throttled[row.team_id] = now + _retry_after(error)
            _defer(ctx, row, until, "rate limited by Slack", report, counts=False)
        elif code in PERMANENT_ERRORS or row.attempts >= MAX_ATTEMPTS:
            why = code if code in PERMANENT_ERRORS else f"gave up after {row.attempts}: {code}"
            log.warning("outbox %s failed permanently: %s", row.key, why)
            _finish(ctx, row, status=OutboxStatus.FAILED, last_error=why, lease_until=None)
            report.failed += 1
        else:
            _defer(ctx, row, now + backoff(row.attempts), code, report)
    except (URLError, TimeoutError, ConnectionError, OSError) as error:
        _give_back(ctx, row, go)
        if row.attempts >= MAX_ATTEMPTS:
            why = f"gave up after {row.attempts}: network: {error}"[:500]
            _finish(ctx, row, status=OutboxStatus.FAILED, last_error=why, lease_until=None)
            report.failed += 1
        else:
            _defer(ctx, row, now + backoff(row.attempts), f"network: {error}", report)


def deliver_due(ctx: Tandem, now: datetime | None = None) -> DeliveryReport:
    """Send every outbox row due at `now`; rows deferred by a retry wait for a later pass."""
    run = _Pass(now=now or ctx.clock.now())
    while True:
        batch = claim_batch(ctx, run.now)
        for row in batch:
            send_one(ctx, row, run)
        if len(batch) < BATCH_SIZE:
            return run.report


def next_delivery_at(ctx: Tandem) -> datetime | None:
    """When the earliest pending row becomes due (for a sender deciding how long to sleep)."""
    with session_scope(ctx.engine) as session:
        return session.exec(
            select(OutboxMessage.deliver_after)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(col(OutboxMessage.deliver_after))
            .limit(1)
        ).first()
