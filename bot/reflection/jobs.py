"""Reflection's scheduled work, in the order the tick runs it, and the due dates it keeps."""

from bot.reflection.drift import arm_drift_checks as drift_due_dates
from bot.reflection.drift import produce_drift_offers
from bot.reflection.due_dates import arm_reflection as due_dates
from bot.reflection.giving_back import produce_giving_back
from bot.reflection.prompts import produce_feedback_prompts
from bot.reflection.reviews_due import produce_reviews
from bot.reflection.story_invites import produce_story_invites

PRODUCERS = (
    produce_feedback_prompts,
    produce_reviews,
    produce_giving_back,
    produce_story_invites,
    produce_drift_offers,
)

__all__ = ["PRODUCERS", "drift_due_dates", "due_dates"]
