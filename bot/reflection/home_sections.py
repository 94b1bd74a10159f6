"""Reflection's part of the App Home: a review waiting for an answer, the pair's stage select,
and programme health for admins (counts and averages only)."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.kit import section
from bot.core.membership import LIVE, Membership
from bot.reflection.blocks.stage import stage_select_block
from bot.reflection.programme import programme_health
from bot.reflection.service.reviews import current_review


def review_waiting(session: Session, membership: Membership) -> list[str]:
    """ "Waiting on you": a review round of a live pair the person has not answered yet."""
    if membership.pair.status not in LIVE:
        return []
    review = current_review(session, membership)
    if review is None or review.mine is not None:
        return []
    partner = f"<@{membership.partner.user_id}>"
    return [f"• Answer the review of your mentorship with {partner} (see my DM)"]


def stage_blocks(membership: Membership) -> list[dict[str, Any]]:
    """Under each live pair: its stage, changeable."""
    return [stage_select_block(membership.pair)]


def programme_section(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    """For admins: the programme's health in numbers."""
    return [section("\n".join(programme_health(session, team_id, now).lines()))]
