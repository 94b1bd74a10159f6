"""Whether a claimed row goes out now: quiet hours, the digest, and the daily DM limit.

The rules are in bot/delivery/policy_rules.py; this applies them to one row in the sender's
transaction, moving the row on (held, folded, expired) when it must not be posted now.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.people import person_zone
from bot.delivery import daily_limit, digest
from bot.delivery.claims import update_claimed
from bot.delivery.kind_rules import ANSWER, TIME_CRITICAL, priority
from bot.delivery.policy_rules import (
    QuietHours,
    local_day,
    next_morning,
    quiet_hours,
    release_time_each,
)
from bot.delivery.preference_rules import (
    held_by_snooze,
    is_muted,
    personal_quiet_hours,
    usable_snoozes,
    with_snooze_buttons,
)
from storage.models import OutboxMessage, OutboxStatus, Workspace
from storage.queries.people import find_person
from storage.queries.preferences import preferences_of

DEFAULT_DAILY_LIMIT = 3
HELD, FOLDED, EXPIRED, LOST = "held", "folded", "expired", "lost"


@dataclass
class Go:
    """Permission to post a claimed row, and what to give back if it is not posted."""

    text: str
    blocks: list[dict[str, Any]] | None
    slot: tuple[str, date] | None = None  # a reserved daily-limit slot (user, day)


def _hold(session: Session, row: OutboxMessage, until: datetime, why: str) -> str:
    held = update_claimed(
        session,
        row,
        status=OutboxStatus.PENDING,
        deliver_after=until,
        attempts=row.attempts - 1,  # waiting is not a failed attempt
        lease_until=None,
        last_error=why,
    )
    return HELD if held else LOST


def gate(ctx: Tandem, session: Session, row: OutboxMessage, now: datetime) -> Go | str:
    """Go, or what happened to the row instead: HELD, FOLDED, EXPIRED (or LOST: another
    sender took it over meanwhile)."""
    people = [row.recipient_user_id] if row.recipient_user_id else list(row.audience or [])
    if not people:
        return Go(row.text, row.blocks)
    workspace = session.get(Workspace, row.team_id)
    quiet = (
        quiet_hours(workspace.quiet_hours_start, workspace.quiet_hours_end)
        if workspace
        else QuietHours()
    )
    persons = [find_person(session, row.team_id, user_id) for user_id in people]
    zones = [person_zone(person, ctx.settings) for person in persons]
    prefs = preferences_of(session, [p.id for p in persons if p is not None and p.id])
    own = [prefs.get(p.id) if p is not None else None for p in persons]
    quiets = [personal_quiet_hours(quiet, *(o.quiet_hours if o else (None, None))) for o in own]
    if row.recipient_user_id and own[0] is not None:
        if is_muted(own[0].muted_kinds, row.kind):
            expired = update_claimed(
                session,
                row,
                status=OutboxStatus.EXPIRED,
                lease_until=None,
                last_error="muted by the recipient",
            )
            return EXPIRED if expired else LOST
        snoozed = held_by_snooze(own[0].snoozes, row.kind, now)
        if snoozed is not None and (row.expires_at is None or snoozed < row.expires_at):
            return _hold(session, row, snoozed, "held: snoozed by the recipient")
    release = release_time_each(now, list(zip(zones, quiets, strict=True)))
    if release > now and (row.expires_at is None or release < row.expires_at):
        return _hold(session, row, release, "held: quiet hours")
    if not row.recipient_user_id:
        return Go(row.text, row.blocks)
    # The click measures a snooze from the workspace's morning, as these do (snooze_end).
    snoozes = usable_snoozes(now, zones[0], quiet.end, row.expires_at)
    blocks = with_snooze_buttons(row.kind, row.key, row.blocks, snoozes)
    user_id, day = row.recipient_user_id, local_day(now, zones[0])
    if row.kind == digest.DIGEST_KIND:
        content = digest.compose(session, row, now)
        if content is None:
            expired = update_claimed(
                session,
                row,
                status=OutboxStatus.EXPIRED,
                lease_until=None,
                last_error="nothing left to show",
            )
            return EXPIRED if expired else LOST
        if not update_claimed(session, row, text=content["text"], blocks=content["blocks"]):
            return LOST
        daily_limit.count(session, row.team_id, user_id, day)
        return Go(content["text"], content["blocks"])
    rank = priority(row.kind, row.exempt_from_cap)
    if rank == TIME_CRITICAL:
        # Outside the limit altogether: it neither folds nor takes a routine message's place.
        return Go(row.text, blocks)
    if rank == ANSWER:
        daily_limit.count(session, row.team_id, user_id, day)
        return Go(row.text, blocks)
    limit = workspace.daily_dm_limit if workspace else DEFAULT_DAILY_LIMIT
    if daily_limit.reserve(session, row.team_id, user_id, day, limit):
        return Go(row.text, blocks, slot=(user_id, day))
    key = digest.fold(session, row, day, next_morning(now, zones[0], quiets[0]))
    folded = update_claimed(
        session,
        row,
        status=OutboxStatus.FOLDED,
        folded_into=key,
        lease_until=None,
        last_error=f"over the daily limit of {limit}",
    )
    return FOLDED if folded else LOST
