"""The meeting work the scheduler tick does, in order, each in its own transaction."""

from bot.meetings.lapse import produce_lapse_nudges
from bot.meetings.nudges import produce_meeting_nudges, produce_meeting_schedule
from bot.meetings.pause import produce_resumes

# Resumes first (they re-arm nudges), then next meetings, then what is due about them.
PRODUCERS = (
    produce_resumes,
    produce_meeting_schedule,
    produce_meeting_nudges,
    produce_lapse_nudges,
)
