"""The charter's part of the App Home: changes the partner asked for, waiting for a revision."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.charter.blocks import OPEN_CHARTER_ACTION
from bot.core.kit import button, clip, mrkdwn_escape, section
from bot.core.membership import LIVE, Membership
from storage.queries.pairs import open_change_requests


def change_requests_to_revise(
    session: Session, mine: list[Membership], now: datetime
) -> list[dict[str, Any]]:
    """For "waiting on you": each open change request the partner made on a live pair's charter,
    with a Revise button (one statement for all the person's pairs)."""
    by_pair = {m.pair.id: m for m in mine if m.pair.status in LIVE}
    items: list[dict[str, Any]] = []
    for request in open_change_requests(session, list(by_pair)):
        membership = by_pair[request.pair_id]
        if request.requester_id != membership.me.id:
            items.append(
                section(
                    f"<@{membership.partner.user_id}> asked for changes to your charter: "
                    f"“{mrkdwn_escape(clip(request.note, 150))}”",
                    accessory=button("Revise", OPEN_CHARTER_ACTION, str(request.pair_id)),
                )
            )
    return items
