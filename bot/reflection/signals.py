"""The evidence behind a pair's health score, read from the database, and the lines to show.

Meetings count against the charter's cadence over the last 12 weeks (or since activation):
a meeting is expected once a whole cadence period plus a day's grace has passed. Pauses are
not subtracted (their history is not kept). Only feedback sent to the partner counts.
"""

from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.membership import Membership
from bot.core.programme_settings import effective_settings
from bot.reflection.blocks.stage import STAGE_LABELS
from bot.reflection.health_rules import Health, HealthInputs, score_health
from bot.reflection.rhythm_rules import (
    GIVING_BACK_PERIOD,
    RECENT,
    cadence_period,
    feedback_step,
)
from storage.models import GoalStatus, Pair
from storage.queries.charter import current_charter, current_charters
from storage.queries.pairs import settings_rows
from storage.queries.reflection import (
    completed_reviews,
    contribution_givers,
    feedback_authors,
    goals_of,
    latest_review_scores,
    met_meetings,
    pair_goals,
    recent_by_pair,
    review_answers,
)

GRACE = timedelta(days=1)


def pair_cadence(session: Session, pair: Pair) -> timedelta:
    """How often the pair means to meet: the charter's cadence, else the default one."""
    charter = current_charter(session, pair.id or 0)
    if charter is not None:
        return cadence_period(charter.cadence)
    return default_cadence(session, pair)


def default_cadence(session: Session, pair: Pair) -> timedelta:
    """How often a pair without a charter is expected to meet: its cohort's default cadence,
    else the workspace's (free by primary key when the caller holds the pairs' cohorts)."""
    return cadence_period(effective_settings(session, pair).default_cadence)


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


def health_inputs_for(
    session: Session, pairs: list[Pair], now: datetime
) -> dict[int, HealthInputs]:
    """`health_inputs` for many pairs at once: a constant number of statements (one per kind
    of evidence), whatever the number of pairs."""
    ids = [pair.id or 0 for pair in pairs]
    charters = current_charters(session, ids)
    # Held while the pairs are looked at: a pair without a charter meets at its default cadence.
    held = settings_rows(session, [pair for pair in pairs if pair.id not in charters])
    scores = latest_review_scores(session, ids)
    goals = goals_of(session, ids)
    feedback, shared, met = recent_by_pair(session, ids, now - RECENT)
    found = {}
    for pair in pairs:
        pair_id = pair.id or 0
        start = pair.activated_at or pair.created_at
        window = max(start, now - RECENT)
        charter = charters.get(pair_id)
        if charter is not None:
            cadence = cadence_period(charter.cadence)
        else:
            cadence = default_cadence(session, pair)
        wrote = Counter(a for p, a, at in feedback if p == pair_id and at >= window)
        gave = Counter(g for p, g, at in shared if p == pair_id and at >= window)
        found[pair_id] = HealthInputs(
            meetings_expected=expected_meetings(window, now, cadence),
            meetings_kept=sum(1 for p, at in met if p == pair_id and window <= at <= now),
            review_scores=scores.get(pair_id, ()),
            goal_progress=tuple(
                100 if g.status == GoalStatus.COMPLETED else g.percent for g in goals[pair_id]
            ),
            feedback_due=now - start
            >= feedback_step(charter.feedback_frequency_weeks if charter else None),
            feedback_from_mentor=wrote[pair.mentor_id],
            feedback_from_mentee=wrote[pair.mentee_id],
            giving_back_due=now - start >= GIVING_BACK_PERIOD,
            shared_by_mentor=gave[pair.mentor_id],
            shared_by_mentee=gave[pair.mentee_id],
        )
    del held
    return found


def pair_health(session: Session, pair: Pair, now: datetime) -> Health:
    """The pair's health score with its reasons (see bot.reflection.health_rules)."""
    return score_health(health_inputs(session, pair, now))


def health_lines(
    session: Session, membership: Membership, now: datetime, *, with_stage: bool = True
) -> list[str]:
    """Lines (mrkdwn) for a member's status or App Home: stage, health score and why."""
    return _lines(membership, pair_health(session, membership.pair, now), with_stage)


def health_status(
    session: Session, memberships: list[Membership], now: datetime
) -> dict[int, list[str]]:
    """`health_lines` of each of a person's pairs, read together (status and Home)."""
    inputs = health_inputs_for(session, [m.pair for m in memberships], now)
    return {
        m.pair.id or 0: _lines(m, score_health(inputs[m.pair.id or 0]), True) for m in memberships
    }


def _lines(membership: Membership, health: Health, with_stage: bool) -> list[str]:
    score = "too early to tell" if health.score is None else f"{health.score}/100"
    stage = STAGE_LABELS.get(membership.pair.stage, membership.pair.stage)
    return [
        *([f"*Stage:* {stage}"] if with_stage else []),
        f"*Relationship health:* {score}",
        *(f"• {reason}" for reason in health.reasons),
    ]
