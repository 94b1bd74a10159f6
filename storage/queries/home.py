"""What Home shows as waiting on a person, each kind read once for all of their pairs, and the
marks saying whose Home must be published again."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import case, delete, literal, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import (
    Contribution,
    Feedback,
    GivingBack,
    HomeRefresh,
    Meeting,
    MeetingStatus,
    Pair,
    Person,
    Review,
    ReviewAnswer,
)


def meetings_to_log(
    session: Session, pair_ids: list[int], since: datetime, until: datetime
) -> list[Meeting]:
    """Meetings of these pairs that have been held by now but not answered (met? skipped?)."""
    if not pair_ids:
        return []
    return list(
        session.exec(
            select(Meeting)
            .where(
                col(Meeting.pair_id).in_(pair_ids),
                Meeting.status == MeetingStatus.SCHEDULED,
                col(Meeting.starts_at) >= since,
                col(Meeting.starts_at) <= until,
            )
            .order_by(col(Meeting.starts_at))
        )
    )


def feedback_to_answer(
    session: Session, pair_ids: list[int], me_id: int, since: datetime
) -> list[Feedback]:
    """Feedback the partner sent me in these pairs, recently, that I haven't answered."""
    if not pair_ids:
        return []
    return list(
        session.exec(
            select(Feedback)
            .where(
                col(Feedback.pair_id).in_(pair_ids),
                Feedback.author_id != me_id,
                Feedback.visibility == "partner",
                col(Feedback.replied_at).is_(None),
                col(Feedback.thanked_at).is_(None),
                col(Feedback.created_at) >= since,
            )
            .order_by(col(Feedback.created_at))
        )
    )


def open_invitations(
    session: Session, pair_ids: list[int], me_id: int, since: datetime
) -> list[int]:
    """Pairs (of those given) where I was invited to give back since `since` and have shared
    nothing since the invitation."""
    if not pair_ids:
        return []
    rows = session.exec(
        select(GivingBack.pair_id, GivingBack.last_invite_at).where(
            col(GivingBack.pair_id).in_(pair_ids), col(GivingBack.last_invite_at) >= since
        )
    ).all()
    invited = {pair_id: at for pair_id, at in rows if at is not None}
    if not invited:
        return []
    shared = session.exec(
        select(Contribution.pair_id, Contribution.created_at).where(
            col(Contribution.pair_id).in_(list(invited)), Contribution.giver_id == me_id
        )
    ).all()
    answered = {pair_id for pair_id, at in shared if at >= invited[pair_id]}
    return [pair_id for pair_id in invited if pair_id not in answered]


def _insert(session: Session):  # type: ignore[no-untyped-def]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(HomeRefresh)


def _sooner(insert):  # type: ignore[no-untyped-def]
    """A mark already there keeps the sooner of the two times (marks pile up as one)."""
    existing = HomeRefresh.__table__.c.due_at  # type: ignore[attr-defined]
    return insert.on_conflict_do_update(
        index_elements=["team_id", "user_id"],
        set_={
            "due_at": case(
                (insert.excluded.due_at < existing, insert.excluded.due_at), else_=existing
            )
        },
    )


def mark_pair_homes(session: Session, pair_id: int, due_at: datetime) -> None:
    """Both members of the pair need their Home published again (those who ever opened it),
    in one statement."""
    due = literal(due_at, HomeRefresh.__table__.c.due_at.type)  # type: ignore[attr-defined]
    members = (
        select(Person.team_id, Person.user_id, due, literal(0))  # type: ignore[call-overload]
        .join(Pair, or_(Pair.mentor_id == Person.id, Pair.mentee_id == Person.id))
        .where(Pair.id == pair_id, col(Person.home_opened_at).is_not(None))
    )
    insert = _insert(session).from_select(["team_id", "user_id", "due_at", "attempts"], members)
    session.exec(_sooner(insert))  # type: ignore[call-overload]


def mark_homes_of_pairs(session: Session, pair_ids: Iterable[int], due_at: datetime) -> None:
    """`mark_pair_homes` for many pairs at once, in one statement (a person in several of
    them is marked once)."""
    wanted = sorted(set(pair_ids))
    if not wanted:
        return
    due = literal(due_at, HomeRefresh.__table__.c.due_at.type)  # type: ignore[attr-defined]
    members = (
        select(Person.team_id, Person.user_id, due, literal(0))  # type: ignore[call-overload]
        .distinct()
        .join(Pair, or_(Pair.mentor_id == Person.id, Pair.mentee_id == Person.id))
        .where(col(Pair.id).in_(wanted), col(Person.home_opened_at).is_not(None))
    )
    insert = _insert(session).from_select(["team_id", "user_id", "due_at", "attempts"], members)
    session.exec(_sooner(insert))  # type: ignore[call-overload]


def mark_home(session: Session, team_id: str, user_id: str, due_at: datetime) -> None:
    """One person's Home needs publishing again."""
    insert = _insert(session).values(team_id=team_id, user_id=user_id, due_at=due_at, attempts=0)
    session.exec(_sooner(insert))  # type: ignore[call-overload]


def due_homes(session: Session, now: datetime, limit: int) -> list[HomeRefresh]:
    """The oldest marks that are due."""
    return list(
        session.exec(
            select(HomeRefresh)
            .where(col(HomeRefresh.due_at) <= now)
            .order_by(col(HomeRefresh.due_at))
            .limit(limit)
        )
    )


def take_home(session: Session, team_id: str, user_id: str) -> bool:
    """Remove a mark before publishing (True if this caller took it: one publish per mark,
    and a change after this point marks again)."""
    result = session.exec(  # type: ignore[call-overload]
        delete(HomeRefresh).where(HomeRefresh.team_id == team_id, HomeRefresh.user_id == user_id)
    )
    return bool(result.rowcount)


def review_outcomes(
    session: Session, pair_ids: list[int]
) -> dict[int, list[tuple[Review, list[str]]]]:
    """Each pair's review rounds, oldest first, with the decisions (continue, adjust, pause,
    conclude) given in each round: two statements for all the pairs, never an answer's note."""
    if not pair_ids:
        return {}
    reviews = list(
        session.exec(
            select(Review)
            .where(col(Review.pair_id).in_(pair_ids))
            .order_by(col(Review.pair_id), col(Review.round))
        )
    )
    decisions: dict[int, list[str]] = {}
    if reviews:
        rows = session.exec(
            select(ReviewAnswer.review_id, ReviewAnswer.decision)
            .where(col(ReviewAnswer.review_id).in_([r.id for r in reviews]))
            .order_by(col(ReviewAnswer.id))
        )
        for review_id, decision in rows:
            decisions.setdefault(review_id, []).append(decision)
    found: dict[int, list[tuple[Review, list[str]]]] = {}
    for review in reviews:
        found.setdefault(review.pair_id, []).append((review, decisions.get(review.id or 0, [])))
    return found
