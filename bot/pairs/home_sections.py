"""Pairing's part of the App Home: proposals waiting for the person's Accept or Decline."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.kit import actions, button, section
from bot.core.membership import Membership
from bot.pairs.blocks import ACCEPT_ACTION, DECLINE_ACTION
from storage.models import PairStatus


def proposals_to_answer(
    session: Session, mine: list[Membership], now: datetime
) -> list[dict[str, Any]]:
    """For "waiting on you": each proposed pair the person has not accepted yet, with Accept and
    Decline (read from the pairs already in hand: no statement)."""
    items: list[dict[str, Any]] = []
    for membership in mine:
        pair, partner = membership.pair, f"<@{membership.partner.user_id}>"
        if pair.status != PairStatus.PROPOSED:
            continue
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
    return items
