"""The pair's two members as meeting news reaches them: how a person is named, and a line
told to both in their group DM."""

from datetime import datetime

from sqlmodel import Session

from bot.delivery.service import post_to_pair
from bot.meetings.blocks.messages import notice
from storage.models import Pair, Person


def name_of(person: Person) -> str:
    """How Tandem names a person in a message."""
    return person.real_name or person.display_name or "your partner"


def tell_members(
    session: Session, pair: Pair, key: str, kind: str, line: str, now: datetime
) -> None:
    """Say `line` (a move, a skip, a pause...) in the pair's group DM: news of the pair that
    means nothing without it, so there is no DM to each instead."""
    post_to_pair(
        session, pair, key=key, kind=kind, deliver_after=now, or_dm_each=False, **notice(line)
    )
