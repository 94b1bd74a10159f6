"""The evidence behind a pair's health score, read from the database, and the lines to show.

Meetings count against the charter's cadence over the last 12 weeks (or since activation):
a meeting is expected once a whole cadence period plus a day's grace has passed. Pauses are
not subtracted (their history is not kept). Only feedback sent to the partner counts.
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.membership import Membership
from bot.reflection.blocks.stage import STAGE_LABELS
from bot.reflection.health import Health, HealthInputs, score_health
from bot.reflection.rhythm import (
    GIVING_BACK_PERIOD,
    RECENT,
    cadence_period,
    feedback_step,
)
from storage.models import GoalStatus, Pair, Workspace
from storage.queries.charter import current_charter
from storage.queries.reflection import (
    completed_reviews,
    contribution_givers,
    feedback_authors,
    met_meetings,
    pair_goals,
    review_answers,
)

GRACE = timedelta(days=1)


def pair_cadence(session: Session, pair: Pair) -> timedelta:
    """How often the pair means to meet: the charter's cadence, else the workspace default."""
    charter = current_charter(session, pair.id or 0)
    if charter is not None:
        return cadence_period(charter.cadence)
    workspace = session.get(Workspace, pair.team_id)
    return cadence_period(workspace.default_cadence if workspace else None)


def expected_meetings(start: datetime, now: datetime, period: timedelta) -> int:
    """Meetings a cadence of `period` called for between `start` and `now`."""
    elapsed = now - start - GRACE
    return max(0, elapsed // period) if elapsed > timedelta(0) else 0


def health_inputs(session: Session, pair: Pair, now: datetime) -> HealthInputs:
    """Everything the health score needs about `pair` at `now`."""
    pair_id = pair.id or 0
    start = pair.activated_at or pair.created_at
    window = max(start, now - RECENT)
    charter = current_charter(session, pair_id)
    latest = completed_reviews(session, pair_id, limit=1)
    scores = tuple(a.value_score for a in review_answers(session, latest[0].id)) if latest else ()
    goals = tuple(
        100 if g.status == GoalStatus.COMPLETED else g.percent for g in pair_goals(session, pair_id)
    )
    feedback = feedback_authors(session, pair_id, window, visibility="partner")
    shared = contribution_givers(session, pair_id, window)
    return HealthInputs(
        meetings_expected=expected_meetings(window, now, pair_cadence(session, pair)),
        meetings_kept=met_meetings(session, pair_id, window, now),
        review_scores=scores,
        goal_progress=goals,
        feedback_due=now - start
        >= feedback_step(charter.feedback_frequency_weeks if charter else None),
        feedback_from_mentor=feedback[pair.mentor_id],
        feedback_from_mentee=feedback[pair.mentee_id],
        giving_back_due=now - start >= GIVING_BACK_PERIOD,
        shared_by_mentor=shared[pair.mentor_id],
        shared_by_mentee=shared[pair.mentee_id],
    )


def pair_health(session: Session, pair: Pair, now: datetime) -> Health:
    """The pair's health score with its reasons (see bot.reflection.health)."""
    return score_health(health_inputs(session, pair, now))


def health_lines(
    session: Session, membership: Membership, now: datetime, *, with_stage: bool = True
) -> list[str]:
    """Lines (mrkdwn) for a member's status or App Home: stage, health score and why."""
    health = pair_health(session, membership.pair, now)
    score = "too early to tell" if health.score is None else f"{health.score}/100"
    stage = STAGE_LABELS.get(membership.pair.stage, membership.pair.stage)
    return [
        *([f"*Stage:* {stage}"] if with_stage else []),
        f"*Relationship health:* {score}",
        *(f"• {reason}" for reason in health.reasons),
    ]
