"""The App Home tab: my pairs, next meeting, goals, what is waiting on me; programme health for
admins. Built from the same pieces as `/tandem status`, so the two never disagree; every area
adds its own part through bot.assembly (see bot.core.context)."""

from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.charter.blocks import OPEN_CHARTER_ACTION
from bot.core.context import Tandem
from bot.core.kit import (
    actions,
    button,
    checked_view,
    clip,
    context,
    divider,
    header,
    mrkdwn_escape,
    section,
)
from bot.core.membership import LIVE, Membership, memberships
from bot.core.people import ensure_person, find_person, is_programme_admin, person_zone
from bot.delivery.blocks import OPEN_ACTION as PREFS_ACTION
from bot.meetings.blocks.messages import MET, slack_date
from bot.pairs.blocks import ACCEPT_ACTION, DECLINE_ACTION
from bot.reflection.blocks.contributions import SHARE_OPEN_ACTION
from bot.reflection.blocks.feedback import REPLY_ACTION, open_action
from bot.reflection.blocks.review import REVIEW_OPEN_ACTION
from bot.reflection.service.reviews import current_reviews
from bot.surfaces.status import OPEN, area_lines, lines_for_all, pair_section
from storage.models import PairStatus, Person
from storage.queries.home import feedback_to_answer, meetings_to_log, open_invitations
from storage.queries.pairs import open_change_requests

# A Home tab holds 100 blocks: 4 per pair, up to 15 things waiting, leave room for the rest.
MAX_PAIRS_SHOWN = 15
MAX_WAITING = 15
LOG_WITHIN = timedelta(days=7)  # a meeting older than this is no longer asked about
ANSWER_WITHIN = timedelta(days=30)
NEW_GOAL_ACTION, UPDATE_ACTION, LOG_ACTION = "home.goal", "home.update", "home.log"
WELCOME = (
    "Tandem keeps your mentorship alive: a charter you both agree, goals with milestones, a "
    "rhythm of meetings, feedback both ways and wins worth celebrating.\n"
    "Start with `/tandem pair @mentor @mentee`, or `/tandem help` to see everything."
)


def _item(text: str, label: str, action_id: str, value: str) -> dict[str, Any]:
    return section(text, accessory=button(label, action_id, value))


def waiting_on(session: Session, mine: list[Membership], now: datetime) -> list[dict[str, Any]]:
    """Everything waiting on the person, each with its button: proposals to answer, charter
    changes asked for, reviews to answer, meetings to log, feedback to reply to, an
    invitation to give back. Each kind is read once for all their pairs."""
    items: list[dict[str, Any]] = []
    live = [m for m in mine if m.pair.status in LIVE]
    by_pair = {m.pair.id: m for m in live}
    reviews = current_reviews(session, live)
    for membership in mine:
        pair, partner = membership.pair, f"<@{membership.partner.user_id}>"
        if pair.status == PairStatus.PROPOSED:
            accepted = (
                pair.mentor_accepted_at if membership.role == "mentor" else pair.mentee_accepted_at
            )
            if accepted is None:
                items.append(section(f"Accept or decline pairing with {partner}"))
                items.append(
                    actions(
                        button("Accept", ACCEPT_ACTION, str(pair.id), style="primary"),
                        button("Decline", DECLINE_ACTION, str(pair.id)),
                        block_id=f"home.proposal.{pair.id}",
                    )
                )
        elif pair.status in LIVE:
            review = reviews.get(pair.id or 0)
            if review is not None and review.mine is None:
                items.append(
                    _item(
                        f"Answer the review of your mentorship with {partner}",
                        "Answer",
                        REVIEW_OPEN_ACTION,
                        str(review.review.id),
                    )
                )
    for request in open_change_requests(session, list(by_pair)):
        membership = by_pair[request.pair_id]
        if request.requester_id != membership.me.id:
            items.append(
                _item(
                    f"<@{membership.partner.user_id}> asked for changes to your charter: "
                    f"“{mrkdwn_escape(clip(request.note, 150))}”",
                    "Revise",
                    OPEN_CHARTER_ACTION,
                    str(request.pair_id),
                )
            )
    active = [p for p, m in by_pair.items() if m.pair.status == PairStatus.ACTIVE]
    for meeting in meetings_to_log(session, active, now - LOG_WITHIN, now):
        membership = by_pair[meeting.pair_id]
        items.append(
            _item(
                f"Did you meet <@{membership.partner.user_id}> {slack_date(meeting.starts_at)}?",
                "We met",
                MET,
                str(meeting.id),
            )
        )
    me_ids = {m.me.id for m in live}
    for me_id in me_ids:
        for feedback in feedback_to_answer(session, list(by_pair), me_id or 0, now - ANSWER_WITHIN):
            membership = by_pair[feedback.pair_id]
            items.append(
                _item(
                    f"<@{membership.partner.user_id}> sent you feedback: "
                    f"“{mrkdwn_escape(clip(feedback.text, 150))}”",
                    "Reply",
                    REPLY_ACTION,
                    str(feedback.id),
                )
            )
        mentee_pairs = [p for p, m in by_pair.items() if m.role == "mentee"]
        for pair_id in open_invitations(session, mentee_pairs, me_id or 0, now - ANSWER_WITHIN):
            membership = by_pair[pair_id]
            items.append(
                _item(
                    f"Give something back to <@{membership.partner.user_id}>: an article, "
                    "an intro, what you learned",
                    "Share",
                    SHARE_OPEN_ACTION,
                    str(pair_id),
                )
            )
    return items[:MAX_WAITING]


def start_actions(membership: Membership) -> dict[str, Any]:
    """Buttons to start things in one pair: goal, update, meeting, feedback, share."""
    pair_id = str(membership.pair.id)
    return actions(
        button("New goal", NEW_GOAL_ACTION, pair_id),
        button("Post progress", UPDATE_ACTION, pair_id),
        button("Log a meeting", LOG_ACTION, pair_id),
        button("Feedback", open_action("general"), f"{pair_id}:"),
        button("Share", SHARE_OPEN_ACTION, pair_id),
        block_id=f"home.start.{membership.pair.id}",
    )


def remember_home_opened(session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """The person opened Home: from now on it is published again when something changes."""
    person = find_person(session, team_id, user_id)
    if person is not None and person.home_opened_at is None:
        person.home_opened_at = now
        session.add(person)


def home_view(ctx: Tandem, client: WebClient, team_id: str, user_id: str) -> dict[str, Any]:
    """The Home tab for `user_id` (whose profile, timezone and admin flag are refreshed)."""
    now = ctx.clock.now()
    with ctx.session() as session:
        found = ensure_person(session, client, team_id, user_id, now)
        me = found if isinstance(found, Person) else None
        zone = person_zone(me, ctx.settings)
        mine = memberships(session, team_id, user_id, OPEN)
        blocks: list[dict[str, Any]] = [header("Tandem")]
        todo = waiting_on(session, mine, now)
        if todo:
            blocks += [section("*Waiting on you*"), *todo, divider()]
        if not mine:
            blocks.append(section(WELCOME))
        shown = mine[:MAX_PAIRS_SHOWN]
        lines = [*area_lines(session, ctx.parts, shown, now), lines_for_all(session, shown, now)]
        for membership in shown:
            blocks.append(pair_section(membership, lines, zone))
            if membership.pair.status in LIVE:
                for pair_blocks in ctx.parts.pair_blocks:
                    blocks += pair_blocks(membership)
            if membership.pair.status == PairStatus.ACTIVE:
                blocks.append(start_actions(membership))
            blocks.append(divider())
        if len(mine) > MAX_PAIRS_SHOWN:
            blocks.append(
                context(
                    f"Showing {MAX_PAIRS_SHOWN} of your {len(mine)} pairs; "
                    "`/tandem status` lists them all."
                )
            )
        blocks.append(actions(button("My preferences", PREFS_ACTION), block_id="home.preferences"))
        if me is not None and is_programme_admin(session, ctx.settings, me):
            blocks += [divider(), header("Programme (admins)")]
            for admin_section in ctx.parts.admin_sections:
                blocks += admin_section(session, team_id, now)
    return checked_view({"type": "home", "blocks": blocks})
