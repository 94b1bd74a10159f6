"""`/tandem status`: one section per pair, to which every area adds its own lines.

Extension point: an area offers a `StatusLine` (see bot.core.parts) and bot.assembly puts it
in `Parts.status_lines`. Lines are shown in that order, under the pair's heading; keep each
short.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.kit import checked_message, context, divider, header, section
from bot.core.membership import LIVE, NO_PAIR, Membership, memberships
from bot.core.parts import Parts, StatusLines
from bot.core.people import person_zone
from bot.core.results import Reply
from storage.models import PairStatus
from storage.queries.people import find_person

# A message holds 50 blocks: a heading, then two per pair.
MAX_PAIRS_SHOWN = 20
OPEN = (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.PAUSED)


def _heading(membership: Membership, zone: Any) -> str:
    pair, partner = membership.pair, membership.partner
    role = "you mentor them" if membership.role == "mentor" else "they mentor you"
    if pair.status == PairStatus.PROPOSED:
        mine = pair.mentor_accepted_at if membership.role == "mentor" else pair.mentee_accepted_at
        state = (
            f"proposed, waiting for <@{partner.user_id}> to accept"
            if mine
            else "proposed, waiting for you to accept (see my DM)"
        )
    elif pair.status == PairStatus.PAUSED:
        until = pair.paused_until.astimezone(zone) if pair.paused_until else None
        state = f"paused until {until.day} {until:%b %Y}" if until else "paused"
    else:
        since = pair.activated_at.astimezone(zone) if pair.activated_at else None
        state = f"active since {since.day} {since:%b %Y}" if since else "active"
    return f"*With <@{partner.user_id}>* ({role}) · {state}"


def pair_section(
    session: Session, parts: Parts, membership: Membership, now: datetime, zone: Any
) -> dict[str, Any]:
    """One pair as its member sees it: heading, then every area's status lines (and the first
    button one of them offers)."""
    lines = [_heading(membership, zone)]
    extra: dict[str, Any] = {}
    if membership.pair.status in LIVE:
        for status_line in parts.status_lines:
            found = status_line(session, membership, now)
            lines += found
            if isinstance(found, StatusLines) and found.button and "accessory" not in extra:
                extra["accessory"] = found.button
    return section("\n".join(lines), block_id=f"status.pair.{membership.pair.id}", **extra)


def status_message(
    session: Session, ctx: Tandem, team_id: str, user_id: str, now: datetime
) -> Reply:
    """The ephemeral answer to `/tandem status`: each of the person's open pairs."""
    mine = memberships(session, team_id, user_id, OPEN)
    if not mine:
        return Reply(text=NO_PAIR)
    zone = person_zone(find_person(session, team_id, user_id), ctx.settings)
    blocks: list[dict[str, Any]] = [header("Your mentoring pairs")]
    for membership in mine[:MAX_PAIRS_SHOWN]:
        blocks += [pair_section(session, ctx.parts, membership, now, zone), divider()]
    if len(mine) > MAX_PAIRS_SHOWN:
        blocks.append(context(f"Showing {MAX_PAIRS_SHOWN} of your {len(mine)} pairs."))
    text = f"You're in {len(mine)} mentoring pair(s)."
    return Reply(text=text, blocks=checked_message(blocks))
