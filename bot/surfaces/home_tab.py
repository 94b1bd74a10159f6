"""The App Home tab: my pairs, next meeting, goals, what is waiting on me; programme health for
admins. Built from the same pieces as `/tandem status`, so the two never disagree; every area
adds its own part through bot.assembly (see `Parts` in bot.core.context): status lines,
"waiting on you" items, blocks and buttons under a pair, sections for admins."""

from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Parts, Tandem
from bot.core.kit import actions, button, checked_view, context, divider, header, section
from bot.core.membership import LIVE, Membership, memberships
from bot.core.people import ensure_person, find_person, is_programme_admin, person_zone
from bot.delivery.blocks import OPEN_ACTION as PREFS_ACTION
from bot.surfaces.status import OPEN, area_lines, pair_section
from storage.models import PairStatus, Person

# A Home tab holds 100 blocks: 4 per pair, up to 15 things waiting, leave room for the rest.
MAX_PAIRS_SHOWN = 15
MAX_WAITING = 15
HOME_BLOCKS = 100
NEW_GOAL_ACTION, UPDATE_ACTION, LOG_ACTION = "home.goal", "home.update", "home.log"
WELCOME = (
    "Tandem keeps your mentorship alive: a charter you both agree, goals with milestones, a "
    "rhythm of meetings, feedback both ways and wins worth celebrating.\n"
    "Start with `/tandem pair @mentor @mentee`, or `/tandem help` to see everything."
)
# For someone whose mentorships have all ended: not the newcomer's welcome, what comes next.
BETWEEN_PAIRS = (
    "No mentorship going on right now. `/tandem join` puts you in the matching pool for a new "
    "one, or start one with `/tandem pair @mentor @mentee`."
)


def waiting_on(
    session: Session, parts: Parts, mine: list[Membership], now: datetime
) -> list[dict[str, Any]]:
    """Everything waiting on the person, each with its button, in the order the areas are
    assembled: reviews to answer, proposals, charter changes asked for, meetings to log,
    feedback to reply to, an invitation to give back. Each area reads once for all their
    pairs."""
    items = [item for waiting in parts.waiting_on for item in waiting(session, mine, now)]
    return items[:MAX_WAITING]


def start_actions(parts: Parts, membership: Membership) -> dict[str, Any]:
    """Buttons to start things in one pair: goal, update, meeting, then the areas' own
    (feedback, share, celebrate a win)."""
    pair_id = str(membership.pair.id)
    return actions(
        button("New goal", NEW_GOAL_ACTION, pair_id),
        button("Post progress", UPDATE_ACTION, pair_id),
        button("Log a meeting", LOG_ACTION, pair_id),
        *(item for buttons in parts.start_buttons for item in buttons(membership)),
        block_id=f"home.start.{membership.pair.id}",
    )


def remember_home_opened(session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """The person opened Home: from now on it is published again when something changes."""
    person = find_person(session, team_id, user_id)
    if person is not None and person.home_opened_at is None:
        person.home_opened_at = now
        session.add(person)


def _my_buttons(ctx: Tandem, mine: list[Membership]) -> dict[str, Any]:
    """My preferences, then the areas' buttons about me (e.g. "Subscribe in your calendar")."""
    return actions(
        button("My preferences", PREFS_ACTION),
        *(item for buttons in ctx.parts.home_buttons for item in buttons(ctx.settings, mine)),
        block_id="home.preferences",
    )


def home_view(ctx: Tandem, client: WebClient, team_id: str, user_id: str) -> dict[str, Any]:
    """The Home tab for `user_id` (whose profile, timezone and admin flag are refreshed)."""
    now = ctx.clock.now()
    with ctx.session() as session:
        found = ensure_person(session, client, team_id, user_id, now)
        me = found if isinstance(found, Person) else None
        zone = person_zone(me, ctx.settings)
        # Open and ended pairs in one read: the ended ones are Past mentorships, and someone
        # who ever had a mentorship is never welcomed as new.
        every = memberships(session, team_id, user_id, (*OPEN, PairStatus.ENDED))
        mine = [m for m in every if m.pair.status in OPEN]
        ended = [m for m in every if m.pair.status == PairStatus.ENDED]
        blocks: list[dict[str, Any]] = [header("Tandem")]
        todo = waiting_on(session, ctx.parts, mine, now)
        if todo:
            blocks += [section("*Waiting on you*"), *todo, divider()]
        if not mine:
            had_one = any(m.pair.activated_at is not None for m in ended)
            blocks.append(section(BETWEEN_PAIRS if had_one else WELCOME))
        shown = mine[:MAX_PAIRS_SHOWN]
        lines = area_lines(session, ctx.parts, shown, now)
        for membership in shown:
            blocks.append(pair_section(membership, lines, zone))
            if membership.pair.status in LIVE:
                for pair_blocks in ctx.parts.pair_blocks:
                    blocks += pair_blocks(membership)
            if membership.pair.status == PairStatus.ACTIVE:
                blocks.append(start_actions(ctx.parts, membership))
            blocks.append(divider())
        if len(mine) > MAX_PAIRS_SHOWN:
            blocks.append(
                context(
                    f"Showing {MAX_PAIRS_SHOWN} of your {len(mine)} pairs; "
                    "`/tandem status` lists them all."
                )
            )
        past = [block for part in ctx.parts.past_sections for block in part(session, ended, now)]
        admin: list[dict[str, Any]] = []
        if me is not None and is_programme_admin(session, ctx.settings, me):
            admin += [divider(), header("Programme (admins)")]
            for admin_section in ctx.parts.admin_sections:
                admin += admin_section(session, team_id, now)
        if past and len(blocks) + len(past) + len(admin) + 2 > HOME_BLOCKS:
            past = [section("*Past mentorships:* `/tandem review history` lists them.")]
        if past:
            blocks += [*past, divider()]
        blocks.append(_my_buttons(ctx, mine))
        blocks += admin
    return checked_view({"type": "home", "blocks": blocks})
