"""What other areas may know of a pair's health: the score for many pairs at once, the pure
rule behind it, the cadences it counts against, and the kinds of feedback there are."""

from bot.reflection.feedback_rules import KIND_LABELS as FEEDBACK_KINDS
from bot.reflection.health import Health, HealthInputs, score_health
from bot.reflection.rhythm import cadence_period
from bot.reflection.signals import health_of_pairs

__all__ = [
    "FEEDBACK_KINDS",
    "Health",
    "HealthInputs",
    "cadence_period",
    "health_of_pairs",
    "score_health",
]
