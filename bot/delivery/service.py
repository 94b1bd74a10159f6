"""Queueing messages: one outbox row per notification, its key making a second copy impossible."""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col

from bot.delivery.kind_rules import nudge_condition
from bot.delivery.policy_rules import quiet_hours
from bot.delivery.preference_rules import snooze_until
from storage.models import OutboxMessage, OutboxStatus, Pair, Workspace
from storage.queries.delivery import expire_waiting, insert_message, insert_messages, outbox_row
from storage.queries.home import mark_homes_of_pairs, mark_pair_homes
from storage.queries.pairs import home_audience, pair_people
from storage.queries.workspaces import uninstalled_reason

METADATA_EVENT_TYPE = "tandem_notification"
# Messages per INSERT when queued together: bounds a tick's memory and each statement's
# parameters (SQLite allows 32,766; an outbox row has 15 columns).
BATCH_ROWS = 500
_BATCH = "tandem.outbox_batch"  # where a session keeps its OutboxBatch (Session.info)


class OutboxBatch:
    """The messages a unit of work queues, written together: one INSERT … ON CONFLICT DO
    NOTHING per `BATCH_ROWS` messages and one Home mark per batch, instead of an INSERT, a
    mark and a workspace check per message. See `queued_together`."""

    def __init__(self, session: Session, now: datetime) -> None:
        self._session = session
        self._now = now
        self._rows: list[dict[str, Any]] = []
        self._homes: dict[datetime, set[int]] = defaultdict(set)
        self._installed: dict[str, bool] = {}
        self.queued = 0  # messages written that were not queued before

    def installed(self, team_id: str) -> bool:
        """Whether Tandem may still send to `team_id` (asked once per batch)."""
        if team_id not in self._installed:
            self._installed[team_id] = uninstalled_reason(self._session, team_id) is None
        return self._installed[team_id]

    def add(self, values: dict[str, Any]) -> None:
        """Queue one message's row; written when the batch is full or flushed."""
        self._rows.append(values)
        if values["pair_id"] is not None:
            # A time already past is published now, whichever past time it was.
            self._homes[max(values["deliver_after"], self._now)].add(values["pair_id"])
        if len(self._rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> int:
        """Write what is waiting; returns how many new messages that queued."""
        rows, homes = self._rows, self._homes
        self._rows, self._homes = [], defaultdict(set)
        for due_at, pair_ids in homes.items():
            mark_homes_of_pairs(self._session, pair_ids, due_at)
        queued = insert_messages(self._session, rows)
        self.queued += queued
        return queued


@contextmanager
def queued_together(session: Session, now: datetime) -> Iterator[OutboxBatch]:
    """While open, `enqueue` (and what calls it) in `session` adds to one `OutboxBatch`,
    written at the end (or when full); its `queued` says how many messages were new.

    For the tick's producers, which queue many messages at once. `enqueue` then answers True
    for a message it has not written yet; the batch's count is the true one. Keys stay the
    guarantee: a message queued before is skipped by the INSERT, as it is one at a time.
    """
    batch = OutboxBatch(session, now)
    session.info[_BATCH] = batch
    try:
        yield batch
        batch.flush()
    finally:
        session.info.pop(_BATCH, None)


def _flush_batch(session: Session) -> None:
    """Write the session's waiting messages before SQL that reads or changes the outbox."""
    batch: OutboxBatch | None = session.info.get(_BATCH)
    if batch is not None:
        batch.flush()


def enqueue(
    session: Session,
    *,
    team_id: str,
    key: str,
    kind: str,
    channel: str,
    text: str,
    deliver_after: datetime,
    blocks: list[dict[str, Any]] | None = None,
    pair_id: int | None = None,
    recipient_user_id: str | None = None,
    expires_at: datetime | None = None,
    audience: list[str] | None = None,
    exempt_from_cap: bool = False,
) -> bool:
    """Queue a message in the caller's transaction; False if `key` was queued before.

    `key` must be deterministic for the notification (kind, subject, occurrence), so a retry,
    a restart or a second replica that computes the same work adds nothing.
    `recipient_user_id` (a DM) or `audience` (a post in a conversation those people share)
    name whose quiet hours hold the message (a post in a pair's group DM needs neither: its
    audience is the pair's two members); a DM also counts against the person's daily
    limit unless `exempt_from_cap` (see bot/delivery/policy_rules.py). `expires_at` is when it is
    too late to matter: the sender then records it as expired instead of sending it.
    Nothing is queued for a workspace that uninstalled Tandem (storage.queries.workspaces).
    Inside `queued_together` the row is written with the batch (and True means "queued or
    queued before").
    """
    batch: OutboxBatch | None = session.info.get(_BATCH)
    installed = batch.installed(team_id) if batch else uninstalled_reason(session, team_id) is None
    if not installed:
        return False  # uninstalled or revoked: nothing may be sent there, so nothing is queued
    if pair_id is not None and recipient_user_id is None and audience is None:
        audience = home_audience(session, pair_id, channel)
    values = {
        "team_id": team_id,
        "key": key,
        "kind": kind,
        "channel": channel,
        "text": text,
        "blocks": blocks,
        "pair_id": pair_id,
        "recipient_user_id": recipient_user_id,
        "audience": audience,
        "exempt_from_cap": exempt_from_cap,
        "deliver_after": deliver_after,
        "expires_at": expires_at,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "created_at": deliver_after,
    }
    if batch is not None:
        batch.add(values)
        return True
    if pair_id is not None:
        # Whatever concerns a pair changes its members' Home: publish it again (debounced).
        mark_pair_homes(session, pair_id, deliver_after)
    return insert_message(session, values)


def dm_member(
    session: Session,
    user_id: str,
    *,
    key: str,
    kind: str,
    text: str,
    deliver_after: datetime,
    blocks: list[dict[str, Any]] | None = None,
    pair: Pair | None = None,
    team_id: str | None = None,
    pair_id: int | None = None,
    expires_at: datetime | None = None,
    exempt_from_cap: bool = False,
) -> bool:
    """Queue a DM to `user_id` about `pair` (or, without one, in `team_id` about `pair_id`):
    held by their quiet hours, counted against their daily limit unless `exempt_from_cap`.
    False if `key` was queued before. See `enqueue`."""
    if pair is not None:
        team_id, pair_id = pair.team_id, pair.id
    assert team_id is not None, "a DM needs its pair or its workspace"
    return enqueue(
        session,
        team_id=team_id,
        key=key,
        kind=kind,
        channel=user_id,
        recipient_user_id=user_id,
        text=text,
        blocks=blocks,
        deliver_after=deliver_after,
        pair_id=pair_id,
        expires_at=expires_at,
        exempt_from_cap=exempt_from_cap,
    )


def post_to_pair(
    session: Session,
    pair: Pair,
    *,
    key: str,
    kind: str,
    text: str,
    deliver_after: datetime,
    blocks: list[dict[str, Any]] | None = None,
    expires_at: datetime | None = None,
    or_dm_each: bool = True,
) -> int:
    """Queue a post in the pair's group DM (its home); returns how many messages were queued.

    A pair always gets a group DM when it becomes active; should it have none, each member
    gets the message in their own DM instead (key `<key>:<user id>`), so nothing is silently
    dropped, unless `or_dm_each` is False (for news that only makes sense in the group DM).
    """
    common: dict[str, Any] = {
        "team_id": pair.team_id,
        "kind": kind,
        "text": text,
        "blocks": blocks,
        "deliver_after": deliver_after,
        "pair_id": pair.id,
        "expires_at": expires_at,
    }
    if pair.home_channel_id:
        return int(enqueue(session, key=key, channel=pair.home_channel_id, **common))
    if not or_dm_each:
        return 0
    return sum(
        dm_member(session, person.user_id, key=f"{key}:{person.user_id}", **common)
        for person in pair_people(session, pair)
    )


def queue_again(
    session: Session,
    row: OutboxMessage,
    *,
    key: str,
    deliver_after: datetime,
    blocks: list[dict[str, Any]] | None,
) -> datetime:
    """Queue a copy of `row` under `key` (same kind, recipient, audience and expiry) for when a
    person asked to see it again; returns when it goes out (the first copy's, if `key` was
    queued before). Asked for, so it does not count against their daily limit."""
    enqueue(
        session,
        team_id=row.team_id,
        key=key,
        kind=row.kind,
        channel=row.channel,
        text=row.text,
        blocks=blocks,
        deliver_after=deliver_after,
        pair_id=row.pair_id,
        recipient_user_id=row.recipient_user_id,
        expires_at=row.expires_at,
        audience=row.audience,
        exempt_from_cap=True,
    )
    _flush_batch(session)
    queued = outbox_row(session, row.team_id, key)
    assert queued is not None
    return queued.deliver_after


def message_metadata(key: str) -> dict[str, Any]:
    """Slack message metadata that lets us find a message we sent (after a crash) by its key."""
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": {"key": key}}


def cancel_pending(
    session: Session,
    pair_id: int,
    kinds: tuple[str, ...] | None = None,
    key_prefix: str | None = None,
) -> int:
    """Expire the pair's messages not yet sent (all, only `kinds`, or only keys starting with
    `key_prefix`); returns how many. Messages waiting in a digest are not sent either.

    For when a pair ends or pauses, or a meeting moves: nudges queued before that must not go
    out after it.
    """
    _flush_batch(session)
    conditions = []
    if kinds is not None:
        conditions.append(col(OutboxMessage.kind).in_(kinds))
    if key_prefix is not None:
        conditions.append(col(OutboxMessage.key).startswith(key_prefix, autoescape=True))
    return expire_waiting(session, pair_id, "cancelled: pair changed", *conditions)


def cancel_nudges(session: Session, pair_id: int) -> int:
    """Expire the pair's nudges not yet sent (see bot/delivery/kind_rules.py); returns how many.

    For a pause or an ending: Tandem stops nudging, but what one member did for the other
    (held by quiet hours or waiting in a digest) is still delivered.
    """
    _flush_batch(session)
    return expire_waiting(session, pair_id, "cancelled: pair paused or ended", nudge_condition())


def snooze_end(
    session: Session, team_id: str, choice: str, now: datetime, zone: ZoneInfo
) -> datetime | None:
    """When a snooze chosen now ends ("tomorrow", "next_week"): the person's next morning, or
    next Monday's, at the end of the workspace's quiet hours. None for an unknown choice."""
    workspace = session.get(Workspace, team_id)
    morning = quiet_hours(
        workspace.quiet_hours_start if workspace else None,
        workspace.quiet_hours_end if workspace else None,
    ).end
    return snooze_until(choice, now, zone, morning)
