"""Goals' scheduled work: anniversaries and meeting streaks, and telling owners when a channel
refused an announcement."""

from bot.goals.announcements import produce_share_outcomes
from bot.goals.occasions import produce_celebrations

PRODUCERS = (produce_celebrations, produce_share_outcomes)
