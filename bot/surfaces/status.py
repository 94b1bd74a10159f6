"""`/tandem status`: one section per pair, to which every area adds its own lines.

Extension point: an area offers a `StatusLine` (see bot.core.context) and bot.assembly puts it
in `Parts.status_lines`. Lines are shown in that order, under the pair's heading; keep each
short.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.context import Parts, StatusLines, Tandem
from bot.core.kit import checked_message, context, divider, header, section
from bot.core.membership import LIVE, NO_PAIR, Membership, memberships
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


def area_lines(
    session: Session, parts: Parts, memberships: list[Membership], now: datetime
) -> list[Mapping[int, list[str]]]:
    """Every area's status lines for the live ones of `memberships`, each area asked once."""
    live = [m for m in memberships if m.pair.status in LIVE]
    return [status_line(session, live, now) if live else {} for status_line in parts.status_lines]


def pair_section(
    membership: Membership, lines_by_area: list[Mapping[int, list[str]]], zone: Any
) -> dict[str, Any]:
    """One pair as its member sees it: heading, then every area's status lines (from
    `area_lines`) and the first button one of them offers."""
    lines = [_heading(membership, zone)]
    extra: dict[str, Any] = {}
    if membership.pair.status in LIVE:
        for by_pair in lines_by_area:
            found = by_pair.get(membership.pair.id or 0, [])
            lines += found
            if isinstance(found, StatusLines) and found.button and "accessory" not in extra:
                extra["accessory"] = found.button
    return section("\n".join(lines), block_id=f"status.pair.{membership.pair.id}", **extra)


def status_message(
    ctx: Tandem, session: Session, team_id: str, user_id: str, now: datetime
) -> Reply:
    """The ephemeral answer to `/tandem status`: each of the person's open pairs."""
    mine = memberships(session, team_id, user_id, OPEN)
    if not mine:
        return Reply(text=NO_PAIR)
    zone = person_zone(find_person(session, team_id, user_id), ctx.settings)
    blocks: list[dict[str, Any]] = [header("Your mentoring pairs")]
    shown = mine[:MAX_PAIRS_SHOWN]
    lines = area_lines(session, ctx.parts, shown, now)
    for membership in shown:
        blocks += [pair_section(membership, lines, zone), divider()]
    if len(mine) > MAX_PAIRS_SHOWN:
        blocks.append(context(f"Showing {MAX_PAIRS_SHOWN} of your {len(mine)} pairs."))
    text = f"You're in {len(mine)} mentoring pair(s)."
    return Reply(text=text, blocks=checked_message(blocks))
