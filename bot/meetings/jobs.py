"""The meeting work the scheduler tick does, in order, each in its own transaction."""

from datetime import datetime

from sqlmodel import Session

from bot.meetings.lapse import produce_lapse_nudges
from bot.meetings.nudges import produce_meeting_nudges, produce_meeting_schedule
from bot.meetings.pause import produce_resumes
from storage.models import Pair

# Resumes first (they re-arm nudges), then next meetings, then what is due about them.
PRODUCERS = (
    produce_resumes,
    produce_meeting_schedule,
    produce_meeting_nudges,
    produce_lapse_nudges,
)


def due_dates(session: Session, pairs: list[Pair], now: datetime) -> None:
    """A newly tracked pair's calendar is looked at now (its series made from the charter,
    its next meeting added), unless its next meeting is known already."""
    for pair in pairs:
        if pair.next_schedule_at is None:
            pair.next_schedule_at = pair.next_meeting_at or now
            session.add(pair)
