"""Reflection's part of the App Home: what waits on the person (reviews to answer, feedback
to reply to, an invitation to give back), the buttons to give feedback or share, the pair's
stage select, and programme health for admins (counts and averages only)."""

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.core.kit import button, clip, mrkdwn_escape, section
from bot.core.membership import LIVE, Membership
from bot.reflection.blocks.contributions import SHARE_OPEN_ACTION
from bot.reflection.blocks.feedback import REPLY_ACTION, open_action
from bot.reflection.blocks.review import REVIEW_OPEN_ACTION
from bot.reflection.blocks.stage import stage_select_block
from bot.reflection.programme import programme_health
from bot.reflection.service.reviews import current_reviews
from storage.queries.home import feedback_to_answer, open_invitations

ANSWER_WITHIN = timedelta(days=30)  # older feedback or invitations are no longer asked about


def stage_blocks(membership: Membership) -> list[dict[str, Any]]:
    """Under each live pair: its stage, changeable."""
    return [stage_select_block(membership.pair)]


def programme_section(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    """For admins: the programme's health in numbers."""
    return [section("\n".join(programme_health(session, team_id, now).lines()))]


def reviews_to_answer(
    session: Session, mine: list[Membership], now: datetime
) -> list[dict[str, Any]]:
    """For "waiting on you": each open review round of a live pair the person has not answered,
    with Answer (two statements for all the person's pairs)."""
    live = [m for m in mine if m.pair.status in LIVE]
    reviews = current_reviews(session, live)
    return [
        section(
            f"Answer the review of your mentorship with <@{m.partner.user_id}>",
            accessory=button("Answer", REVIEW_OPEN_ACTION, str(review.review.id)),
        )
        for m in live
        if (review := reviews.get(m.pair.id or 0)) is not None and review.mine is None
    ]


def replies_owed(session: Session, mine: list[Membership], now: datetime) -> list[dict[str, Any]]:
    """For "waiting on you": feedback of the last month the partner sent and the person has not
    replied to, with Reply; then, for a mentee, open invitations of the last month to give
    something back, with Share (two statements for all the person's live pairs)."""
    by_pair = {m.pair.id: m for m in mine if m.pair.status in LIVE}
    if not by_pair:
        return []
    me_id = next(iter(by_pair.values())).me.id or 0  # one person: the same in all their pairs
    since = now - ANSWER_WITHIN
    items = [
        section(
            f"<@{by_pair[feedback.pair_id].partner.user_id}> sent you feedback: "
            f"“{mrkdwn_escape(clip(feedback.text, 150))}”",
            accessory=button("Reply", REPLY_ACTION, str(feedback.id)),
        )
        for feedback in feedback_to_answer(session, list(by_pair), me_id, since)
    ]
    mentee_pairs = [p for p, m in by_pair.items() if m.role == "mentee"]
    return items + [
        section(
            f"Give something back to <@{by_pair[pair_id].partner.user_id}>: an article, "
            "an intro, what you learned",
            accessory=button("Share", SHARE_OPEN_ACTION, str(pair_id)),
        )
        for pair_id in open_invitations(session, mentee_pairs, me_id, since)
    ]


def start_buttons(membership: Membership) -> list[dict[str, Any]]:
    """Buttons to start things in an active pair: feedback (no kind chosen yet) and a share."""
    pair_id = str(membership.pair.id)
    return [
        button("Feedback", open_action("general"), f"{pair_id}:"),
        button("Share", SHARE_OPEN_ACTION, pair_id),
    ]
