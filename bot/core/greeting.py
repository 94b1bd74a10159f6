"""The Messages tab: someone writes to Tandem directly; it answers briefly, once a day."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.db import insert_if_absent
from storage.models import DmGreeting

GREETING = (
    "Hi! I'm Tandem: I keep mentorships alive (a charter you both sign, goals, meetings on a "
    "rhythm, feedback both ways). I don't read messages here. Type `/tandem help` to see what "
    "I can do, or open my *Home* tab for your pairs and what is waiting on you."
)


def is_person_writing_to_the_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """A new message by a person in their DM with Tandem (not an edit, a bot, or Tandem)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and event.get("user") != bot_user_id
    )


def first_today(session: Session, team_id: str, channel_id: str, now: datetime, tz: str) -> bool:
    """Claim today's greeting for this conversation; False if it was answered already today
    (a retry, a second replica, or a second message all count once)."""
    day = now.astimezone(ZoneInfo(tz)).date()
    values = {"team_id": team_id, "channel_id": channel_id, "day": day}
    return insert_if_absent(session, DmGreeting, values)
