"""Meetings' part of the App Home: meetings of the last week still waiting to be logged, and
"Subscribe in your calendar"."""

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.core import slack_time
from bot.core.config import Settings
from bot.core.kit import button, section
from bot.core.membership import LIVE, Membership
from bot.meetings.blocks.messages import MET, SUBSCRIBE
from storage.models import PairStatus
from storage.queries.home import meetings_to_log

LOG_WITHIN = timedelta(days=7)  # a meeting older than this is no longer asked about


def unlogged_meetings(
    session: Session, mine: list[Membership], now: datetime
) -> list[dict[str, Any]]:
    """For "waiting on you": each recent meeting of an active pair not logged yet, with "We met"
    (one statement for all the person's pairs)."""
    by_pair = {m.pair.id: m for m in mine if m.pair.status == PairStatus.ACTIVE}
    zone = slack_time.zone_named(mine[0].me.tz) if mine else None  # the reader's
    return [
        section(
            f"Did you meet <@{by_pair[meeting.pair_id].partner.user_id}> "
            f"{slack_time.when(meeting.starts_at, zone)}?",
            accessory=button("We met", MET, str(meeting.id)),
        )
        for meeting in meetings_to_log(session, list(by_pair), now - LOG_WITHIN, now)
    ]


def subscribe_button(settings: Settings, mine: list[Membership]) -> list[dict[str, Any]]:
    """ "Subscribe in your calendar", once calendar feeds are set up (TANDEM_PUBLIC_URL) and the
    person has a pair: the click gives their feed's address in a modal (a new token, shown
    once), so no address sits in Home, which Tandem publishes again and again."""
    if settings.public_url is None or not any(m.pair.status in LIVE for m in mine):
        return []
    return [button("Subscribe in your calendar", SUBSCRIBE, "home")]
