"""Events one area publishes and others react to: in process, in the publisher's transaction.

The publisher does not know who listens and the listener does not import the publisher:
`bot.assembly` (the entry layer) says who subscribes to what. A subscriber's failure fails the
publisher's unit of work, so a change and what must follow it are saved together or not at all.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from storage.models import CharterVersion, Pair

if TYPE_CHECKING:
    from bot.core.context import Tandem


@dataclass(frozen=True)
class CharterSaved:
    """A new version of `pair`'s charter was saved at `now`."""

    pair: Pair
    version: CharterVersion
    now: datetime


@dataclass(frozen=True)
class MemberGone:
    """Slack says `user_id` of `team_id` is deactivated (a send to them failed for good)."""

    team_id: str
    user_id: str
    now: datetime


def publish(ctx: "Tandem", session: Session, event: object) -> None:
    """Call every subscriber of `event`'s type, in order, in `session`'s transaction."""
    for subscriber in ctx.parts.subscribers.get(type(event), ()):
        subscriber(ctx, session, event)
