"""Programme-wide counts for admins and exports: numbers per pair, never private text."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from storage.models import (
    CharterVersion,
    Contribution,
    Feedback,
    Goal,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Milestone,
    Pair,
    Person,
    Review,
)


def pairs_in(session: Session, team_id: str | None = None) -> Sequence[Pair]:
    """Every pair (of one workspace, or of all), oldest first."""
    query = select(Pair).order_by(col(Pair.team_id), col(Pair.id))
    if team_id is not None:
        query = query.where(Pair.team_id == team_id)
    return session.exec(query).all()


def people_by_id(session: Session, ids: set[int]) -> dict[int, Person]:
    """People by primary key."""
    if not ids:
        return {}
    return {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}


def _per_pair(session: Session, query: Any) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in session.exec(query).all()}


def counts_per_pair(session: Session, pair_ids: list[int]) -> dict[str, dict[int, tuple]]:
    """Grouped counts for `pair_ids`, one query per table (fast for hundreds of pairs)."""
    if not pair_ids:
        return {}

    def met(status: str) -> Any:
        return func.sum(case((col(Meeting.status) == status, 1), else_=0))

    return {
        "charter": _per_pair(
            session,
            select(CharterVersion.pair_id, func.count())
            .where(col(CharterVersion.pair_id).in_(pair_ids))
            .group_by(CharterVersion.pair_id),
        ),
        "meetings": _per_pair(
            session,
            select(
                Meeting.pair_id,
                met(MeetingStatus.MET),
                met(MeetingStatus.SKIPPED),
                met(MeetingStatus.RESCHEDULED),
                func.max(
                    case((col(Meeting.status) == MeetingStatus.MET, Meeting.starts_at), else_=None)
                ),
            )
            .where(col(Meeting.pair_id).in_(pair_ids))
            .group_by(Meeting.pair_id),
        ),
        "goals": _per_pair(
            session,
            select(
                Goal.pair_id,
                func.count(),
                func.sum(case((col(Goal.status) == GoalStatus.COMPLETED, 1), else_=0)),
            )
            .where(col(Goal.pair_id).in_(pair_ids))
            .group_by(Goal.pair_id),
        ),
        "milestones": _per_pair(
            session,
            select(Goal.pair_id, func.count(Milestone.id), func.count(Milestone.done_at))
            .join(Milestone, col(Milestone.goal_id) == col(Goal.id))
            .where(col(Goal.pair_id).in_(pair_ids))
            .group_by(Goal.pair_id),
        ),
        "feedback": _per_pair(
            session,
            select(
                Feedback.pair_id,
                func.sum(case((col(Feedback.visibility) == "partner", 1), else_=0)),
                func.sum(case((col(Feedback.visibility) == "programme", 1), else_=0)),
            )
            .where(col(Feedback.pair_id).in_(pair_ids))
            .group_by(Feedback.pair_id),
        ),
        "given_by_mentor": _per_pair(
            session,
            select(Contribution.pair_id, func.count())
            .join(Pair, col(Pair.id) == col(Contribution.pair_id))
            .where(
                col(Contribution.pair_id).in_(pair_ids),
                col(Contribution.giver_id) == col(Pair.mentor_id),
            )
            .group_by(Contribution.pair_id),
        ),
        "given_by_mentee": _per_pair(
            session,
            select(Contribution.pair_id, func.count())
            .join(Pair, col(Pair.id) == col(Contribution.pair_id))
            .where(
                col(Contribution.pair_id).in_(pair_ids),
                col(Contribution.giver_id) == col(Pair.mentee_id),
            )
            .group_by(Contribution.pair_id),
        ),
        # Completed rounds only, and no scores: one pair's answers are theirs, not the admins'.
        "reviews": _per_pair(
            session,
            select(Review.pair_id, func.count())
            .where(col(Review.pair_id).in_(pair_ids), col(Review.completed_at).is_not(None))
            .group_by(Review.pair_id),
        ),
    }
