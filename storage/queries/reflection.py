"""Queries for feedback, contributions, reviews, endings and the reflection schedule."""

from collections import Counter
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import (
    CharterVersion,
    Contribution,
    Feedback,
    GivingBack,
    Goal,
    GoalStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Pair,
    Retrospective,
    Review,
    ReviewAnswer,
    StageChange,
)
from storage.queries.pairs import pairs_due

DUE_BATCH = 200


def feedback_by_id(session: Session, team_id: str, feedback_id: int) -> Feedback | None:
    """One feedback entry of `team_id`."""
    feedback = session.get(Feedback, feedback_id)
    return feedback if feedback is not None and feedback.team_id == team_id else None


def feedback_authors(
    session: Session, pair_id: int, since: datetime, visibility: str | None = None
) -> Counter[int]:
    """How many feedback entries each member wrote since `since` (of one visibility, or all)."""
    query = select(Feedback.author_id).where(
        Feedback.pair_id == pair_id, col(Feedback.created_at) >= since
    )
    if visibility is not None:
        query = query.where(Feedback.visibility == visibility)
    return Counter(session.exec(query).all())


def contribution_givers(
    session: Session, pair_id: int, since: datetime | None = None
) -> Counter[int]:
    """How many contributions each member gave (since `since`, or ever)."""
    query = select(Contribution.giver_id).where(Contribution.pair_id == pair_id)
    if since is not None:
        query = query.where(col(Contribution.created_at) >= since)
    return Counter(session.exec(query).all())


def pair_goals(session: Session, pair_id: int) -> list[Goal]:
    """The pair's goals that still count (everything but dropped), oldest first."""
    return list(
        session.exec(
            select(Goal)
            .where(Goal.pair_id == pair_id, Goal.status != GoalStatus.DROPPED)
            .order_by(col(Goal.id))
        )
    )


def met_meetings(session: Session, pair_id: int, since: datetime, until: datetime) -> int:
    """Meetings of the pair marked as met with a start in [since, until]."""
    return session.exec(
        select(func.count())
        .select_from(Meeting)
        .where(
            Meeting.pair_id == pair_id,
            Meeting.status == MeetingStatus.MET,
            col(Meeting.starts_at) >= since,
            col(Meeting.starts_at) <= until,
        )
    ).one()


def last_met_at(session: Session, pair_id: int, until: datetime) -> datetime | None:
    """When the pair last met (before `until`)."""
    return session.exec(
        select(func.max(Meeting.starts_at)).where(
            Meeting.pair_id == pair_id,
            Meeting.status == MeetingStatus.MET,
            col(Meeting.starts_at) <= until,
        )
    ).one()


def review_by_id(session: Session, team_id: str, review_id: int) -> Review | None:
    """One review round of `team_id`."""
    review = session.get(Review, review_id)
    return review if review is not None and review.team_id == team_id else None


def open_review(session: Session, pair_id: int) -> Review | None:
    """The pair's review round still waiting for answers, if any."""
    return session.exec(
        select(Review)
        .where(Review.pair_id == pair_id, col(Review.completed_at).is_(None))
        .order_by(col(Review.round).desc())
        .limit(1)
    ).first()


def open_reviews(session: Session, pair_ids: list[int]) -> dict[int, Review]:
    """Each of these pairs' round still waiting for answers (`open_review` of each), in one
    statement."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(Review)
        .where(col(Review.pair_id).in_(pair_ids), col(Review.completed_at).is_(None))
        .order_by(col(Review.round))
    )
    return {review.pair_id: review for review in rows}  # a pair's latest round is seen last


def answers_of_reviews(session: Session, review_ids: list[int]) -> dict[int, list[ReviewAnswer]]:
    """`review_answers` of each of these rounds, in one statement."""
    found: dict[int, list[ReviewAnswer]] = {review_id: [] for review_id in review_ids}
    if not review_ids:
        return found
    rows = session.exec(
        select(ReviewAnswer)
        .where(col(ReviewAnswer.review_id).in_(review_ids))
        .order_by(col(ReviewAnswer.id))
    )
    for answer in rows:
        found[answer.review_id].append(answer)
    return found


def last_round(session: Session, pair_id: int) -> int:
    """The highest review round number of the pair (0 before the first)."""
    return session.exec(select(func.max(Review.round)).where(Review.pair_id == pair_id)).one() or 0


def completed_reviews(session: Session, pair_id: int, limit: int = 5) -> list[Review]:
    """The pair's completed review rounds, newest first."""
    return list(
        session.exec(
            select(Review)
            .where(Review.pair_id == pair_id, col(Review.completed_at).is_not(None))
            .order_by(col(Review.round).desc())
            .limit(limit)
        )
    )


def review_answers(session: Session, review_id: int) -> list[ReviewAnswer]:
    """Everyone's answers to one round."""
    return list(
        session.exec(
            select(ReviewAnswer)
            .where(ReviewAnswer.review_id == review_id)
            .order_by(col(ReviewAnswer.id))
        )
    )


def retrospectives(session: Session, pair_id: int) -> list[Retrospective]:
    """The members' closing words for an ended pair."""
    return list(
        session.exec(
            select(Retrospective)
            .where(Retrospective.pair_id == pair_id)
            .order_by(col(Retrospective.id))
        )
    )


def stage_changes(session: Session, pair_id: int) -> list[StageChange]:
    """The pair's stage history, oldest first."""
    return list(
        session.exec(
            select(StageChange)
            .where(StageChange.pair_id == pair_id)
            .order_by(col(StageChange.changed_at), col(StageChange.id))
        )
    )


def pairs_due_feedback_prompt(session: Session, now: datetime) -> list[Pair]:
    """Up to DUE_BATCH active pairs whose feedback prompt is due."""
    return pairs_due(session, Pair.next_feedback_prompt_at, now, DUE_BATCH)


def pairs_due_review(session: Session, now: datetime) -> list[Pair]:
    """Up to DUE_BATCH active pairs whose periodic review is due."""
    return pairs_due(session, Pair.next_review_at, now, DUE_BATCH)


def giving_back_rows(session: Session, pair_ids: list[int]) -> dict[int, GivingBack]:
    """The giving-back records of these pairs (those that have one), in one statement."""
    if not pair_ids:
        return {}
    rows = session.exec(select(GivingBack).where(col(GivingBack.pair_id).in_(pair_ids)))
    return {row.pair_id: row for row in rows}


def pairs_due_giving_back(session: Session, now: datetime) -> list[tuple[Pair, GivingBack | None]]:
    """Up to DUE_BATCH active pairs whose giving back is due for a look, with their record."""
    pairs = pairs_due(session, Pair.next_giving_back_at, now, DUE_BATCH)
    rows = giving_back_rows(session, [pair.id or 0 for pair in pairs])
    return [(pair, rows.get(pair.id or 0)) for pair in pairs]


def team_pairs(session: Session, team_id: str, statuses: tuple[str, ...]) -> list[Pair]:
    """The team's pairs with one of `statuses`."""
    return list(
        session.exec(
            select(Pair)
            .where(Pair.team_id == team_id, col(Pair.status).in_(statuses))
            .order_by(col(Pair.id))
        )
    )


def retrospective_of(session: Session, pair_id: int, person_id: int) -> Retrospective | None:
    """What `person_id` wrote when the pair ended, if they did."""
    return session.exec(
        select(Retrospective).where(
            Retrospective.pair_id == pair_id, Retrospective.person_id == person_id
        )
    ).first()


def review_for_update(session: Session, review_id: int) -> Review:
    """The round, re-read under a row lock (PostgreSQL) so two answers complete it once."""
    statement = (
        select(Review)
        .where(Review.id == review_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).one()


def goal_statuses(session: Session, pair_ids: list[int]) -> Counter[str]:
    """How many goals of these pairs are in each status (dropped ones not counted)."""
    return Counter(
        session.exec(
            select(Goal.status).where(
                col(Goal.pair_id).in_(pair_ids), Goal.status != GoalStatus.DROPPED
            )
        ).all()
    )


def average_review_score(session: Session, pair_ids: list[int]) -> float | None:
    """The mean "value gained" answer over these pairs' completed review rounds."""
    average = session.exec(
        select(func.avg(ReviewAnswer.value_score))
        .join(Review, col(Review.id) == col(ReviewAnswer.review_id))
        .where(col(Review.pair_id).in_(pair_ids), col(Review.completed_at).is_not(None))
    ).one()
    return float(average) if average is not None else None


def feedback_visibilities(session: Session, team_id: str) -> Counter[str]:
    """How many feedback entries of the workspace are in each visibility (counts only)."""
    return Counter(
        session.exec(select(Feedback.visibility).where(Feedback.team_id == team_id)).all()
    )


def contribution_count(session: Session, team_id: str) -> int:
    """How many contributions the workspace's members have logged."""
    return session.exec(
        select(func.count()).select_from(Contribution).where(Contribution.team_id == team_id)
    ).one()


def latest_review_scores(session: Session, pair_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """The value scores of each pair's latest completed review round, in one statement."""
    if not pair_ids:
        return {}
    latest = (
        select(Review.pair_id, func.max(Review.round).label("round"))
        .where(col(Review.pair_id).in_(pair_ids), col(Review.completed_at).is_not(None))
        .group_by(col(Review.pair_id))
        .subquery()
    )
    rows = session.exec(
        select(Review.pair_id, ReviewAnswer.value_score)
        .join(latest, (Review.pair_id == latest.c.pair_id) & (Review.round == latest.c.round))
        .join(ReviewAnswer, col(ReviewAnswer.review_id) == col(Review.id))
        .order_by(col(ReviewAnswer.id))
    )
    found: dict[int, list[int]] = {}
    for pair_id, score in rows:
        found.setdefault(pair_id, []).append(score)
    return {pair_id: tuple(scores) for pair_id, scores in found.items()}


def goals_of(session: Session, pair_ids: list[int]) -> dict[int, list[Goal]]:
    """Each pair's goals that still count (everything but dropped), oldest first."""
    found: dict[int, list[Goal]] = {pair_id: [] for pair_id in pair_ids}
    if not pair_ids:
        return found
    rows = session.exec(
        select(Goal)
        .where(col(Goal.pair_id).in_(pair_ids), Goal.status != GoalStatus.DROPPED)
        .order_by(col(Goal.id))
    )
    for goal in rows:
        found[goal.pair_id].append(goal)
    return found


def recent_by_pair(
    session: Session, pair_ids: list[int], since: datetime
) -> tuple[
    list[tuple[int, int, datetime]], list[tuple[int, int, datetime]], list[tuple[int, datetime]]
]:
    """Since `since`, for these pairs: partner feedback (pair, author, when), contributions
    (pair, giver, when) and meetings marked met (pair, start); three statements."""
    if not pair_ids:
        return [], [], []
    feedback = session.exec(
        select(Feedback.pair_id, Feedback.author_id, Feedback.created_at).where(
            col(Feedback.pair_id).in_(pair_ids),
            Feedback.visibility == "partner",
            col(Feedback.created_at) >= since,
        )
    ).all()
    shared = session.exec(
        select(Contribution.pair_id, Contribution.giver_id, Contribution.created_at).where(
            col(Contribution.pair_id).in_(pair_ids), col(Contribution.created_at) >= since
        )
    ).all()
    met = session.exec(
        select(Meeting.pair_id, Meeting.starts_at).where(
            col(Meeting.pair_id).in_(pair_ids),
            Meeting.status == MeetingStatus.MET,
            col(Meeting.starts_at) >= since,
        )
    ).all()
    return list(feedback), list(shared), list(met)


def last_met_by_pair(session: Session, pair_ids: list[int], until: datetime) -> dict[int, datetime]:
    """When each pair last met (before `until`); pairs that never met are absent."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(Meeting.pair_id, func.max(Meeting.starts_at))
        .where(
            col(Meeting.pair_id).in_(pair_ids),
            Meeting.status == MeetingStatus.MET,
            col(Meeting.starts_at) <= until,
        )
        .group_by(col(Meeting.pair_id))
    )
    return {pair_id: last for pair_id, last in rows}


def giving_counts(
    session: Session, pair_ids: list[int], since: datetime
) -> dict[tuple[int, int], int]:
    """(pair id, giver id) → how many contributions since `since`, for all these pairs in one
    query (status and Home show both directions for every pair of a person)."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(Contribution.pair_id, Contribution.giver_id, func.count())
        .where(col(Contribution.pair_id).in_(pair_ids), col(Contribution.created_at) >= since)
        .group_by(Contribution.pair_id, Contribution.giver_id)
    ).all()
    return {(pair_id, giver_id): int(n) for pair_id, giver_id, n in rows}


def last_rounds(session: Session, pair_ids: list[int]) -> dict[int, int]:
    """`last_round` for many pairs, in one statement (pairs with no round are left out)."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(Review.pair_id, func.max(Review.round))
        .where(col(Review.pair_id).in_(pair_ids))
        .group_by(col(Review.pair_id))
    )
    return {pair_id: last or 0 for pair_id, last in rows}


def answered_by(session: Session, review_ids: list[int]) -> dict[int, set[int]]:
    """Who answered each of these rounds (person ids), in one statement."""
    if not review_ids:
        return {}
    answered: dict[int, set[int]] = {}
    rows = session.exec(
        select(ReviewAnswer.review_id, ReviewAnswer.person_id).where(
            col(ReviewAnswer.review_id).in_(review_ids)
        )
    )
    for review_id, person_id in rows:
        answered.setdefault(review_id, set()).add(person_id)
    return answered


def contributions_of_pairs(session: Session, pair_ids: list[int]) -> dict[int, list[Contribution]]:
    """Everything shared in each of these pairs, oldest first, in one statement."""
    if not pair_ids:
        return {}
    shared: dict[int, list[Contribution]] = {}
    rows = session.exec(
        select(Contribution)
        .where(col(Contribution.pair_id).in_(pair_ids))
        .order_by(col(Contribution.created_at), col(Contribution.id))
    )
    for row in rows:
        shared.setdefault(row.pair_id, []).append(row)
    return shared


def agreed_rhythms(session: Session, pair_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """Each pair's running series as agreed: (its first wall-clock start, its timezone, the
    cadence of the charter version it follows), in one statement."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(
            MeetingSeries.pair_id,
            MeetingSeries.local_start,
            MeetingSeries.timezone,
            CharterVersion.cadence,
        )
        .join(CharterVersion, col(CharterVersion.id) == col(MeetingSeries.charter_version_id))
        .where(col(MeetingSeries.pair_id).in_(pair_ids), col(MeetingSeries.active).is_(True))
    )
    return {pair_id: (start, zone, cadence) for pair_id, start, zone, cadence in rows}


def meetings_since(
    session: Session, pair_ids: list[int], since: datetime
) -> dict[int, list[tuple[datetime | None, datetime, str]]]:
    """These pairs' meetings since `since` that were not cancelled, as (series occurrence or
    None, start, status), in one statement (the pair, status and start index)."""
    if not pair_ids:
        return {}
    kept = [status for status in MeetingStatus if status != MeetingStatus.CANCELLED]
    rows = session.exec(
        select(Meeting.pair_id, Meeting.occurrence_at, Meeting.starts_at, Meeting.status).where(
            col(Meeting.pair_id).in_(pair_ids),
            col(Meeting.status).in_(kept),
            col(Meeting.starts_at) >= since,
        )
    )
    found: dict[int, list[tuple[datetime | None, datetime, str]]] = {}
    for pair_id, occurrence, starts, status in rows:
        found.setdefault(pair_id, []).append((occurrence, starts, status))
    return found
