"""The App Home tab: my pairs, next meeting, goals, what is waiting on me; programme health for
admins. Built from the same pieces as `/tandem status`, so the two never disagree; every area
adds its own part through bot.assembly (see bot.core.parts)."""

from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.kit import checked_view, context, divider, header, section
from bot.core.membership import LIVE, Membership, memberships
from bot.core.parts import Parts
from bot.core.people import ensure_person, is_programme_admin, person_zone
from bot.pairs.status import OPEN, area_lines, pair_section
from storage.models import PairStatus, Person

# A Home tab holds 100 blocks: 3 per pair leaves room for the rest.
MAX_PAIRS_SHOWN = 20
WELCOME = (
    "Tandem keeps your mentorship alive: a charter you both agree, goals with milestones, a "
    "rhythm of meetings, feedback both ways and wins worth celebrating.\n"
    "Start with `/tandem pair @mentor @mentee`, or `/tandem help` to see everything."
)


def proposal_waiting(session: Session, membership: Membership) -> list[str]:
    """Pairing's part of "Waiting on you": a proposal the person has not answered."""
    pair = membership.pair
    if pair.status != PairStatus.PROPOSED:
        return []
    accepted = pair.mentor_accepted_at if membership.role == "mentor" else pair.mentee_accepted_at
    if accepted is not None:
        return []
    return [f"• Accept or decline pairing with <@{membership.partner.user_id}> (see my DM)"]


def waiting_on(session: Session, parts: Parts, mine: list[Membership]) -> list[str]:
    """What the person needs to do, pair by pair (accept proposals, answer reviews...)."""
    return [
        line
        for membership in mine
        for waiting in parts.waiting_lines
        for line in waiting(session, membership)
    ]


def home_view(ctx: Tandem, client: WebClient, team_id: str, user_id: str) -> dict[str, Any]:
    """The Home tab for `user_id` (whose profile, timezone and admin flag are refreshed)."""
    now = ctx.clock.now()
    with ctx.session() as session:
        found = ensure_person(session, client, team_id, user_id, now)
        me = found if isinstance(found, Person) else None
        zone = person_zone(me, ctx.settings)
        mine = memberships(session, team_id, user_id, OPEN)
        blocks: list[dict[str, Any]] = [header("Tandem")]
        todo = waiting_on(session, ctx.parts, mine)
        if todo:
            blocks.append(section("*Waiting on you*\n" + "\n".join(todo)))
        if not mine:
            blocks.append(section(WELCOME))
        shown = mine[:MAX_PAIRS_SHOWN]
        lines = area_lines(session, ctx.parts, shown, now)
        for membership in shown:
            blocks.append(pair_section(membership, lines, zone))
            if membership.pair.status in LIVE:
                for pair_blocks in ctx.parts.pair_blocks:
                    blocks += pair_blocks(membership)
            blocks.append(divider())
        if len(mine) > MAX_PAIRS_SHOWN:
            blocks.append(
                context(
                    f"Showing {MAX_PAIRS_SHOWN} of your {len(mine)} pairs; "
                    "`/tandem status` lists them all."
                )
            )
        if me is not None and is_programme_admin(session, ctx.settings, me):
            blocks += [divider(), header("Programme (admins)")]
            for admin_section in ctx.parts.admin_sections:
                blocks += admin_section(session, team_id, now)
    return checked_view({"type": "home", "blocks": blocks})
