"""Sending queued messages: claim with a lease, post, record; retry what Slack asks to retry."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import and_, or_, update
from sqlmodel import col, select

from bot.context import Tandem
from bot.delivery.outbox import METADATA_EVENT_TYPE, message_metadata
from storage.db import is_postgres, session_scope
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
BATCH_SIZE = 100
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
    }
)


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0
    expired: int = 0
    recovered: int = 0  # found already posted after a crash, recorded instead of re-sent


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
    also keeps concurrent senders from queueing behind each other's rows.
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
        return list(session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(claimed))))


def _finish(ctx: Tandem, row: OutboxMessage, **values: object) -> None:
    """Record the outcome, unless another sender took the row over after our lease ran out."""
    with session_scope(ctx.engine) as session:
        session.exec(  # type: ignore[call-overload]
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == row.id,
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.attempts == row.attempts,
            )
            .values(**values)
        )


def _header(error: SlackApiError, name: str) -> str | None:
    for key, value in (error.response.headers or {}).items():
        if key.lower() == name.lower():
            return value[0] if isinstance(value, list) else value
    return None


def find_posted(client: WebClient, row: OutboxMessage) -> tuple[str, str] | None:
    """(channel, ts) of a message already posted for `row`, found by its metadata key."""
    channel = row.channel
    if channel[:1] in ("U", "W"):
        channel = client.conversations_open(users=channel)["channel"]["id"]
    oldest = (row.created_at - timedelta(minutes=5)).timestamp()
    history = client.conversations_history(
        channel=channel, include_all_metadata=True, oldest=f"{oldest:.6f}", limit=200
    )
    for message in history.get("messages", []):
        metadata = message.get("metadata") or {}
        if (
            metadata.get("event_type") == METADATA_EVENT_TYPE
            and (metadata.get("event_payload") or {}).get("key") == row.key
        ):
            return channel, message["ts"]
    return None


def send_one(ctx: Tandem, row: OutboxMessage, now: datetime, report: DeliveryReport) -> None:
    """Post one claimed row and record what happened."""
    if row.expires_at is not None and now > row.expires_at:
        _finish(ctx, row, status=OutboxStatus.EXPIRED, lease_until=None)
        report.expired += 1
        return
    client = ctx.delivery_client(row.team_id)
    try:
        if row.attempts > 1:
            # We may have posted it and crashed before recording: look before posting again.
            posted = find_posted(client, row)
            if posted is not None:
                _finish(
                    ctx,
                    row,
                    status=OutboxStatus.SENT,
                    sent_at=now,
                    lease_until=None,
                    sent_channel=posted[0],
                    sent_ts=posted[1],
                )
                report.recovered += 1
                return
        response = client.chat_postMessage(
            channel=row.channel,
            text=row.text,
            blocks=row.blocks,
            metadata=message_metadata(row.key),
            unfurl_links=False,
        )
    except SlackApiError as error:
        code = error.response.get("error") or f"http_{error.response.status_code}"
        if error.response.status_code == 429:
            wait = timedelta(seconds=int(_header(error, "Retry-After") or 1))
            _defer(ctx, row, now + wait, "rate limited by Slack", report)
        elif code in PERMANENT_ERRORS or row.attempts >= MAX_ATTEMPTS:
            log.warning("outbox %s failed permanently: %s", row.key, code)
            _finish(ctx, row, status=OutboxStatus.FAILED, last_error=code, lease_until=None)
            report.failed += 1
        else:
            _defer(ctx, row, now + backoff(row.attempts), code, report)
        return
    except (URLError, TimeoutError, ConnectionError, OSError) as error:
        _defer(ctx, row, now + backoff(row.attempts), f"network: {error}"[:500], report)
        return
    _finish(
        ctx,
        row,
        status=OutboxStatus.SENT,
        sent_at=now,
        lease_until=None,
        sent_channel=response.get("channel"),
        sent_ts=response.get("ts"),
        last_error=None,
    )
    report.sent += 1


def _defer(
    ctx: Tandem, row: OutboxMessage, when: datetime, why: str, report: DeliveryReport
) -> None:
    _finish(
        ctx,
        row,
        status=OutboxStatus.PENDING,
        deliver_after=when,
        lease_until=None,
        last_error=why[:500],
    )
    report.deferred += 1


def deliver_due(ctx: Tandem, now: datetime | None = None) -> DeliveryReport:
    """Send every outbox row due at `now`; rows deferred by a retry wait for a later pass."""
    now = now or ctx.clock.now()
    report = DeliveryReport()
    while True:
        batch = claim_batch(ctx, now)
        for row in batch:
            send_one(ctx, row, now, report)
        if len(batch) < BATCH_SIZE:
            return report


def next_delivery_at(ctx: Tandem) -> datetime | None:
    """When the earliest pending row becomes due (for a sender deciding how long to sleep)."""
    with session_scope(ctx.engine) as session:
        return session.exec(
            select(OutboxMessage.deliver_after)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(col(OutboxMessage.deliver_after))
            .limit(1)
        ).first()
