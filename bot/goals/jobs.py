"""Goals' scheduled work: anniversaries and meeting streaks, and telling owners when a channel
refused an announcement; and the due dates it keeps."""

from bot.goals.announcements import produce_share_outcomes
from bot.goals.occasions import arm_occasions as due_dates
from bot.goals.occasions import produce_celebrations

PRODUCERS = (produce_celebrations, produce_share_outcomes)

__all__ = ["PRODUCERS", "due_dates"]
