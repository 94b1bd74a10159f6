"""The App Home tab: my pairs, next meeting, goals, what is waiting on me; programme health for
admins. Built from the same pieces as `/tandem status`, so the two never disagree."""

from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.admin.blocks import admin_actions
from bot.core.context import Tandem
from bot.core.kit import checked_view, context, divider, header, section
from bot.core.membership import LIVE, Membership, memberships
from bot.core.people import ensure_person, is_programme_admin, person_zone
from bot.pairs.status import OPEN, pair_section
from bot.reflection.blocks.stage import stage_select_block
from bot.reflection.programme import programme_health
from bot.reflection.service.reviews import current_review
from storage.models import PairStatus, Person
from storage.queries.delivery import failed_deliveries

# A Home tab holds 100 blocks: 3 per pair leaves room for the rest.
MAX_PAIRS_SHOWN = 20
WELCOME = (
    "Tandem keeps your mentorship alive: a charter you both agree, goals with milestones, a "
    "rhythm of meetings, feedback both ways and wins worth celebrating.\n"
    "Start with `/tandem pair @mentor @mentee`, or `/tandem help` to see everything."
)


def waiting_on(session: Session, mine: list[Membership]) -> list[str]:
    """What the person needs to do: accept proposals, answer reviews."""
    lines = []
    for membership in mine:
        pair, partner = membership.pair, f"<@{membership.partner.user_id}>"
        if pair.status == PairStatus.PROPOSED:
            accepted = (
                pair.mentor_accepted_at if membership.role == "mentor" else pair.mentee_accepted_at
            )
            if accepted is None:
                lines.append(f"• Accept or decline pairing with {partner} (see my DM)")
        elif pair.status in LIVE:
            review = current_review(session, membership)
            if review is not None and review.mine is None:
                lines.append(f"• Answer the review of your mentorship with {partner} (see my DM)")
    return lines


def _programme_blocks(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    health = programme_health(session, team_id, now)
    blocks = [divider(), header("Programme (admins)"), section("\n".join(health.lines()))]
    failed = failed_deliveries(session, team_id, limit=20)
    if failed:
        # Kind and reason only: the text may be private.
        shown = "\n".join(
            f"• {row.kind} to `{row.channel}`: {row.last_error}" for row in failed[:10]
        )
        blocks.append(section(f"*Messages Slack refused ({len(failed)}):*\n{shown}"))
    blocks += [
        admin_actions(),
        context("Admins see numbers, never a pair's notes, feedback or review answers."),
    ]
    return blocks


def home_view(ctx: Tandem, client: WebClient, team_id: str, user_id: str) -> dict[str, Any]:
    """The Home tab for `user_id` (whose profile, timezone and admin flag are refreshed)."""
    now = ctx.clock.now()
    with ctx.session() as session:
        found = ensure_person(session, client, team_id, user_id, now)
        me = found if isinstance(found, Person) else None
        zone = person_zone(me, ctx.settings)
        mine = memberships(session, team_id, user_id, OPEN)
        blocks: list[dict[str, Any]] = [header("Tandem")]
        todo = waiting_on(session, mine)
        if todo:
            blocks.append(section("*Waiting on you*\n" + "\n".join(todo)))
        if not mine:
            blocks.append(section(WELCOME))
        for membership in mine[:MAX_PAIRS_SHOWN]:
            blocks.append(pair_section(session, membership, now, zone))
            if membership.pair.status in LIVE:
                blocks.append(stage_select_block(membership.pair))
            blocks.append(divider())
        if len(mine) > MAX_PAIRS_SHOWN:
            blocks.append(
                context(
                    f"Showing {MAX_PAIRS_SHOWN} of your {len(mine)} pairs; "
                    "`/tandem status` lists them all."
                )
            )
        if me is not None and is_programme_admin(ctx.settings, me):
            blocks += _programme_blocks(session, team_id, now)
    return checked_view({"type": "home", "blocks": blocks})
