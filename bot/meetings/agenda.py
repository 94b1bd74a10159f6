"""The agenda: what either member wants to cover at the next meeting."""

from datetime import datetime

from sqlmodel import Session

from bot.core.membership import Membership
from bot.core.results import Refused
from storage.models import AgendaItem

ITEM_LIMIT = 500
EXAMPLE = "`/tandem agenda how to run a design review`"


def add_agenda_item(
    session: Session, membership: Membership, text: str, now: datetime
) -> AgendaItem | Refused:
    """Add `text` for the pair's next meeting; it stays open until a meeting is marked met."""
    text = " ".join((text or "").split())
    if not text:
        return Refused(f"What should go on the agenda? Try {EXAMPLE}.")
    if len(text) > ITEM_LIMIT:
        return Refused(
            f"That's {len(text)} characters; an agenda item holds up to {ITEM_LIMIT}. "
            "Could you shorten it?"
        )
    item = AgendaItem(
        team_id=membership.pair.team_id,
        pair_id=membership.pair.id,
        author_id=membership.me.id,
        text=text,
        created_at=now,
    )
    session.add(item)
    session.flush()
    return item
