"""What other areas may know of a pair's health: the score for many pairs at once, the pure
rule behind it, the cadences it counts against, the kinds of feedback there are, and the
programme's health in a few lines."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot.reflection.feedback_rules import KIND_LABELS as FEEDBACK_KINDS
from bot.reflection.health_rules import Health, HealthInputs, score_health
from bot.reflection.programme import programme_health
from bot.reflection.rhythm_rules import cadence_period
from bot.reflection.signals import health_inputs_for
from storage.models import Pair


def health_of_pairs(
    session: Session, pairs: Sequence[Pair], now: datetime, selection: object = None
) -> dict[int, Health]:
    """Each pair's health score, in a constant number of statements (see health_inputs_for)."""
    inputs = health_inputs_for(session, list(pairs), now)
    return {pair_id: score_health(found) for pair_id, found in inputs.items()}


def programme_health_lines(session: Session, team_id: str, now: datetime) -> list[str]:
    """The workspace's programme health as the admin menu shows it (aggregates only)."""
    return programme_health(session, team_id, now).lines()


__all__ = [
    "FEEDBACK_KINDS",
    "Health",
    "HealthInputs",
    "cadence_period",
    "health_of_pairs",
    "programme_health_lines",
    "score_health",
]
