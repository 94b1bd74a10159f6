"""Whether a claimed row goes out now: quiet hours, the digest, and the daily DM limit.

The rules are in bot/delivery/policy.py; this applies them to one row in the sender's
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
from bot.delivery.policy import QuietHours, local_day, next_morning, quiet_hours, release_time
from storage.models import OutboxMessage, OutboxStatus, Workspace
from storage.queries.people import find_person

DEFAULT_DAILY_LIMIT = 3
HELD, FOLDED, EXPIRED, LOST = "held", "folded", "expired", "lost"


@dataclass
class Go:
    """Permission to post a claimed row, and what to give back if it is not posted."""

    text: str
    blocks: list[dict[str, Any]] | None
    slot: tuple[str, date] | None = None  # a reserved daily-limit slot (user, day)


def _zone_of(ctx: Tandem, session: Session, team_id: str, user_id: str):  # type: ignore[no-untyped-def]
    return person_zone(find_person(session, team_id, user_id), ctx.settings)


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
    zones = [_zone_of(ctx, session, row.team_id, user_id) for user_id in people]
    release = release_time(now, zones, quiet)
    if release > now and (row.expires_at is None or release < row.expires_at):
        held = update_claimed(
            session,
            row,
            status=OutboxStatus.PENDING,
            deliver_after=release,
            attempts=row.attempts - 1,  # waiting for morning is not a failed attempt
            lease_until=None,
            last_error="held: quiet hours",
        )
        return HELD if held else LOST
    if not row.recipient_user_id:
        return Go(row.text, row.blocks)
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
    if row.exempt_from_cap:
        daily_limit.count(session, row.team_id, user_id, day)
        return Go(row.text, row.blocks)
    limit = workspace.daily_dm_limit if workspace else DEFAULT_DAILY_LIMIT
    if daily_limit.reserve(session, row.team_id, user_id, day, limit):
        return Go(row.text, row.blocks, slot=(user_id, day))
    key = digest.fold(session, row, day, next_morning(now, zones[0], quiet))
    folded = update_claimed(
        session,
        row,
        status=OutboxStatus.FOLDED,
        folded_into=key,
        lease_until=None,
        last_error=f"over the daily limit of {limit}",
    )
    return FOLDED if folded else LOST
