"""Programme-wide queries for admins and exports: numbers per pair and per cohort, the pool,
the pairs at risk; never private text, except programme-only feedback stripped of its author.

Every function here is a fixed number of statements, whatever the size of the programme.
"""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Select, String, case, func, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

from storage.models import (
    AdminAction,
    CharterAck,
    CharterVersion,
    Cohort,
    Contribution,
    Feedback,
    Goal,
    GoalStatus,
    JoinProfile,
    MatchProposal,
    MatchRound,
    Meeting,
    MeetingStatus,
    Milestone,
    Pair,
    PairImport,
    PairStatus,
    Person,
    Review,
    ReviewAnswer,
)
from storage.queries.workspaces import installed


def pairs_in(session: Session, team_id: str | None = None) -> Sequence[Pair]:
    """Every pair (of one workspace, or of all), oldest first."""
    query = select(Pair).order_by(col(Pair.team_id), col(Pair.id))
    if team_id is not None:
        query = query.where(Pair.team_id == team_id)
    return session.exec(query).all()


def _per_pair(session: Session, query: Any) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in session.exec(query).all()}


def pair_ids_in(team_id: str | None = None) -> Select:
    """A SELECT of the ids of every pair (of one workspace, or of all)."""
    query = select(Pair.id)
    return query if team_id is None else query.where(Pair.team_id == team_id)


def counts_per_pair(session: Session, pair_ids: Select) -> dict[str, dict[int, tuple]]:
    """Grouped counts for the pairs `pair_ids` selects, one query per table.

    A subquery, not a list of ids: no bound parameter per pair, so any number of pairs works.
    """

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


# -- months, portably ---------------------------------------------------------------------


class month_of(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """SQL for "YYYY-MM" of a UTC timestamp column, on SQLite and on PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):  # type: ignore[no-untyped-def]
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_postgres(element, compiler, **kw):  # type: ignore[no-untyped-def]
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM')"


# -- admins and people --------------------------------------------------------------------


def slack_admin_ids(session: Session, team_id: str) -> set[str]:
    """Slack workspace admins and owners Tandem has met in `team_id` (still active people)."""
    rows = session.exec(
        select(Person.user_id).where(
            Person.team_id == team_id,
            col(Person.is_workspace_admin).is_(True),
            col(Person.deleted).is_(False),
            col(Person.is_bot).is_(False),
            col(Person.erased_at).is_(None),
        )
    ).all()
    return set(rows)


def known_people(session: Session, team_id: str, user_ids: Collection[str]) -> set[str]:
    """Which of `user_ids` Tandem has met in `team_id`."""
    if not user_ids:
        return set()
    rows = session.exec(
        select(Person.user_id).where(
            Person.team_id == team_id, col(Person.user_id).in_(list(user_ids))
        )
    ).all()
    return set(rows)


def team_names(session: Session, team_id: str) -> list[str]:
    """Every name Tandem holds for people of `team_id` (to scrub them from shown text)."""
    rows = session.exec(
        select(Person.display_name, Person.real_name).where(Person.team_id == team_id)
    ).all()
    return [name for pair in rows for name in pair if name]


# -- cohorts ------------------------------------------------------------------------------


def cohorts_of(session: Session, team_id: str) -> list[Cohort]:
    """The workspace's cohorts, newest start first."""
    return list(
        session.exec(
            select(Cohort)
            .where(Cohort.team_id == team_id)
            .order_by(col(Cohort.starts_on).desc(), col(Cohort.id).desc())
        )
    )


def cohort_named(session: Session, team_id: str, name: str) -> Cohort | None:
    """The cohort called `name` (case-insensitively) in `team_id`."""
    return session.exec(
        select(Cohort).where(Cohort.team_id == team_id, func.lower(Cohort.name) == name.lower())
    ).first()


def cohorts_due_closing(session: Session, now: datetime, limit: int = 20) -> list[Cohort]:
    """Cohorts whose end has come and whose pairs were not yet invited to close."""
    return list(
        session.exec(
            select(Cohort)
            .where(
                col(Cohort.closing_due_at).is_not(None),
                col(Cohort.closing_due_at) <= now,
                installed(Cohort.team_id),
            )
            .order_by(col(Cohort.closing_due_at), col(Cohort.id))
            .limit(limit)
        )
    )


def live_pairs_of_cohort(session: Session, cohort_id: int) -> list[tuple[Pair, Person, Person]]:
    """The cohort's active and paused pairs with their mentor and mentee."""
    mentor, mentee = aliased(Person), aliased(Person)
    rows = session.exec(
        select(Pair, mentor, mentee)
        .join(mentor, col(mentor.id) == col(Pair.mentor_id))
        .join(mentee, col(mentee.id) == col(Pair.mentee_id))
        .where(
            Pair.cohort_id == cohort_id,
            col(Pair.status).in_((PairStatus.ACTIVE, PairStatus.PAUSED)),
        )
        .order_by(col(Pair.id))
    ).all()
    return [(pair, mentor_row, mentee_row) for pair, mentor_row, mentee_row in rows]


def pair_counts_by_cohort(session: Session, team_id: str) -> dict[int | None, dict[str, int]]:
    """How many pairs each cohort (None: no cohort) has in each status."""
    rows = session.exec(
        select(Pair.cohort_id, Pair.status, func.count())
        .where(Pair.team_id == team_id)
        .group_by(Pair.cohort_id, Pair.status)
    ).all()
    counts: dict[int | None, dict[str, int]] = {}
    for cohort_id, status, count in rows:
        counts.setdefault(cohort_id, {})[status] = count
    return counts


# -- the pairs at risk --------------------------------------------------------------------


def open_pair_ids(team_id: str, cohort_id: int | None = None) -> Select:
    """A SELECT of the ids of the workspace's proposed and active pairs (of one cohort)."""
    query = select(Pair.id).where(
        Pair.team_id == team_id,
        col(Pair.status).in_((PairStatus.PROPOSED, PairStatus.ACTIVE)),
    )
    if cohort_id is not None:
        query = query.where(Pair.cohort_id == cohort_id)
    return query


def pairs_with_ids(session: Session, ids: Select) -> list[Pair]:
    """The pairs `ids` selects, by id."""
    return list(session.exec(select(Pair).where(col(Pair.id).in_(ids)).order_by(col(Pair.id))))


def last_met(session: Session, ids: Select, now: datetime) -> dict[int, datetime]:
    """When each pair last met (meetings marked met, up to `now`)."""
    rows = session.exec(
        select(Meeting.pair_id, func.max(Meeting.starts_at))
        .where(
            col(Meeting.pair_id).in_(ids),
            Meeting.status == MeetingStatus.MET,
            col(Meeting.starts_at) <= now,
        )
        .group_by(Meeting.pair_id)
    ).all()
    return {pair_id: when for pair_id, when in rows}


def charter_version_counts(session: Session, ids: Select) -> dict[int, int]:
    """How many charter versions each pair has written."""
    rows = session.exec(
        select(CharterVersion.pair_id, func.count())
        .where(col(CharterVersion.pair_id).in_(ids))
        .group_by(CharterVersion.pair_id)
    ).all()
    return {pair_id: count for pair_id, count in rows}


def open_review_answers(session: Session, ids: Select) -> dict[int, tuple[datetime, int]]:
    """Each pair's open review round: when it opened and how many answered (not what)."""
    rows = session.exec(
        select(Review.pair_id, Review.opened_at, func.count(ReviewAnswer.id))
        .join(ReviewAnswer, col(ReviewAnswer.review_id) == col(Review.id), isouter=True)
        .where(col(Review.pair_id).in_(ids), col(Review.completed_at).is_(None))
        .group_by(Review.id, Review.pair_id, Review.opened_at)
    ).all()
    found: dict[int, tuple[datetime, int]] = {}
    for pair_id, opened_at, answers in rows:
        if pair_id not in found or opened_at > found[pair_id][0]:
            found[pair_id] = (opened_at, answers)
    return found


def people_of_pairs(session: Session, ids: Select) -> dict[int, Person]:
    """The members of the selected pairs, by person id."""
    members = (
        select(Pair.mentor_id)
        .where(col(Pair.id).in_(ids))
        .union(select(Pair.mentee_id).where(col(Pair.id).in_(ids)))
    )
    return {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(members)))}


# -- the pool and matching rounds ---------------------------------------------------------


def pool(session: Session, team_id: str) -> list[tuple[JoinProfile, Person]]:
    """Everyone in the workspace's matching pool, with their person, oldest joiner first."""
    rows = session.exec(
        select(JoinProfile, Person)
        .join(Person, col(Person.id) == col(JoinProfile.person_id))
        .where(
            JoinProfile.team_id == team_id,
            col(JoinProfile.in_pool).is_(True),
            col(Person.deleted).is_(False),
            col(Person.erased_at).is_(None),
        )
        .order_by(col(JoinProfile.joined_at), col(JoinProfile.id))
    ).all()
    return [(profile, person) for profile, person in rows]


def profile_of(session: Session, team_id: str, person_id: int) -> JoinProfile | None:
    """Someone's join profile (in the pool or not)."""
    return session.exec(
        select(JoinProfile).where(
            JoinProfile.team_id == team_id, JoinProfile.person_id == person_id
        )
    ).first()


def past_partners(session: Session, team_id: str) -> list[tuple[int, int]]:
    """Every (mentor, mentee) person-id pair that was ever proposed in `team_id`."""
    rows = session.exec(
        select(Pair.mentor_id, Pair.mentee_id).where(Pair.team_id == team_id).distinct()
    ).all()
    return [(mentor, mentee) for mentor, mentee in rows]


def round_proposals(session: Session, round_id: int) -> list[tuple[MatchProposal, Person, Person]]:
    """A round's proposals with mentor and mentee, in the order they were proposed."""
    mentor, mentee = aliased(Person), aliased(Person)
    rows = session.exec(
        select(MatchProposal, mentor, mentee)
        .join(mentor, col(mentor.id) == col(MatchProposal.mentor_id))
        .join(mentee, col(mentee.id) == col(MatchProposal.mentee_id))
        .where(MatchProposal.round_id == round_id)
        .order_by(col(MatchProposal.id))
    ).all()
    return [(proposal, m, e) for proposal, m, e in rows]


def match_round(session: Session, team_id: str, round_id: int | None) -> MatchRound | None:
    """One matching round of `team_id`."""
    found = session.get(MatchRound, round_id) if round_id is not None else None
    return found if found is not None and found.team_id == team_id else None


# -- trends -------------------------------------------------------------------------------


def cohort_names(session: Session, team_id: str | None) -> dict[int, str]:
    """Cohort names by id (of one workspace, or of all)."""
    query = select(Cohort.id, Cohort.name)
    if team_id is not None:
        query = query.where(Cohort.team_id == team_id)
    return {cohort_id: name for cohort_id, name in session.exec(query).all()}


def _of_team(query: Any, team_id: str | None) -> Any:
    return query if team_id is None else query.where(Pair.team_id == team_id)


def monthly_meetings(
    session: Session, team_id: str | None, since: datetime, now: datetime
) -> list[tuple[str, int, int | None, str, int, int]]:
    """(team, pair, cohort, month, meetings due, meetings met) for meetings from `since` to now.

    A meeting falls due at its start; cancelled occurrences (a pause, a new cadence) don't.
    `team_id` None: every workspace, still one statement.
    """
    month = month_of(Meeting.starts_at)
    met = func.sum(case((col(Meeting.status) == MeetingStatus.MET, 1), else_=0))
    query = (
        select(Pair.team_id, Meeting.pair_id, Pair.cohort_id, month, func.count(), met)
        .join(Pair, col(Pair.id) == col(Meeting.pair_id))
        .where(
            col(Meeting.starts_at) >= since,
            col(Meeting.starts_at) <= now,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .group_by(Pair.team_id, Meeting.pair_id, Pair.cohort_id, month)
    )
    rows = session.exec(_of_team(query, team_id)).all()
    return [(t, p, c, m, int(due), int(kept or 0)) for t, p, c, m, due, kept in rows]


def monthly_goals_completed(
    session: Session, team_id: str | None, since: datetime
) -> list[tuple[str, int, int | None, str, int]]:
    """(team, pair, cohort, month, goals completed that month) since `since`."""
    month = month_of(Goal.completed_at)
    query = (
        select(Pair.team_id, Goal.pair_id, Pair.cohort_id, month, func.count())
        .join(Pair, col(Pair.id) == col(Goal.pair_id))
        .where(Goal.status == GoalStatus.COMPLETED, col(Goal.completed_at) >= since)
        .group_by(Pair.team_id, Goal.pair_id, Pair.cohort_id, month)
    )
    rows = session.exec(_of_team(query, team_id)).all()
    return [(t, p, c, m, int(n)) for t, p, c, m, n in rows]


def monthly_review_scores(
    session: Session, team_id: str | None, since: datetime
) -> list[tuple[str, int, int | None, str, int]]:
    """(team, pair, cohort, month, value score) of each review answer since `since`."""
    query = (
        select(
            Pair.team_id,
            Review.pair_id,
            Pair.cohort_id,
            month_of(ReviewAnswer.answered_at),
            ReviewAnswer.value_score,
        )
        .join(Review, col(Review.id) == col(ReviewAnswer.review_id))
        .join(Pair, col(Pair.id) == col(Review.pair_id))
        .where(col(ReviewAnswer.answered_at) >= since)
        .order_by(col(ReviewAnswer.id))
    )
    rows = session.exec(_of_team(query, team_id)).all()
    return [(t, p, c, m, int(score)) for t, p, c, m, score in rows]


# -- programme-only feedback --------------------------------------------------------------


def programme_feedback(session: Session, team_id: str) -> list[tuple[int | None, str, str, str]]:
    """(cohort, kind, text, month) of every programme-only entry: never who or which pair.

    Ordered by text, so even the order says nothing about who wrote what, or when.
    """
    rows = session.exec(
        select(Pair.cohort_id, Feedback.kind, Feedback.text, month_of(Feedback.created_at))
        .join(Pair, col(Pair.id) == col(Feedback.pair_id))
        .where(Feedback.team_id == team_id, Feedback.visibility == "programme")
        .order_by(col(Feedback.text))
    ).all()
    return [(cohort, kind, text, month) for cohort, kind, text, month in rows]


def programme_feedback_authors(session: Session, team_id: str) -> dict[str | None, int]:
    """How many different people wrote programme-only feedback, by cohort name (None: pairs
    in no cohort); someone who wrote often counts once. Only the counts leave the database.
    """
    rows = session.exec(
        select(Cohort.name, func.count(func.distinct(Feedback.author_id)))
        .select_from(Feedback)
        .join(Pair, col(Pair.id) == col(Feedback.pair_id))
        .outerjoin(Cohort, col(Cohort.id) == col(Pair.cohort_id))
        .where(Feedback.team_id == team_id, Feedback.visibility == "programme")
        .group_by(Cohort.name)
    ).all()
    return {cohort: int(authors) for cohort, authors in rows}


# -- what admins did ----------------------------------------------------------------------


def last_actions(session: Session, ids: Select) -> dict[int, AdminAction]:
    """The latest admin action on each selected pair."""
    latest = (
        select(func.max(AdminAction.id))
        .where(col(AdminAction.pair_id).in_(ids))
        .group_by(AdminAction.pair_id)
    )
    rows = session.exec(select(AdminAction).where(col(AdminAction.id).in_(latest))).all()
    return {action.pair_id: action for action in rows if action.pair_id is not None}


def open_pair_counts(session: Session, team_id: str) -> tuple[dict[int, int], dict[int, int]]:
    """How many open pairs each person has, as mentor and as mentee (by person id)."""
    open_statuses = (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.PAUSED)
    as_mentor: dict[int, int] = {}
    as_mentee: dict[int, int] = {}
    for column, found in ((Pair.mentor_id, as_mentor), (Pair.mentee_id, as_mentee)):
        rows = session.exec(
            select(column, func.count())
            .where(Pair.team_id == team_id, col(Pair.status).in_(open_statuses))
            .group_by(column)
        ).all()
        found.update({person_id: count for person_id, count in rows})
    return as_mentor, as_mentee


def claim_import(
    session: Session, team_id: str, import_id: int | None, column: str, now: datetime
) -> bool:
    """Mark a kept import sent or cancelled (`column`), only if it is neither yet: True for
    the one request that did (a double click or a second replica finds it claimed)."""
    claimed = session.execute(
        update(PairImport)
        .where(
            col(PairImport.id) == import_id,
            col(PairImport.team_id) == team_id,
            col(PairImport.sent_at).is_(None),
            col(PairImport.cancelled_at).is_(None),
        )
        .values({column: now})
    )
    return claimed.rowcount == 1


# -- the launch funnel --------------------------------------------------------------------


class days_between(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """SQL for the days from the first timestamp to the second, on SQLite and PostgreSQL."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):  # type: ignore[no-untyped-def]
    earlier, later = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between, "postgresql")
def _days_postgres(element, compiler, **kw):  # type: ignore[no-untyped-def]
    earlier, later = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400.0)"


def funnel_counts(
    session: Session, team_id: str | None, still_meeting_days: int
) -> list[tuple[str, int | None, int, int, int, int, int, int, int, int]]:
    """Per workspace and cohort (None: no cohort): pairs proposed, accepted by both, declined,
    unanswered (still waiting), expired (nobody finished answering in time), with a charter
    both signed, with a first meeting met, and with a meeting met
    `still_meeting_days` or more after they began. One grouped statement, whatever the size.
    """

    def count_if(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    acks = (
        select(func.count())
        .where(CharterAck.charter_version_id == CharterVersion.id)
        .correlate(CharterVersion)
        .scalar_subquery()
    )
    signed = (
        select(CharterVersion.id)
        .where(CharterVersion.pair_id == Pair.id, acks >= 2)
        .correlate(Pair)
        .exists()
    )
    met = (
        select(Meeting.id)
        .where(Meeting.pair_id == Pair.id, Meeting.status == MeetingStatus.MET)
        .correlate(Pair)
    )
    still = met.where(
        days_between(col(Pair.activated_at), col(Meeting.starts_at)) >= still_meeting_days
    )
    query = _of_team(
        select(
            Pair.team_id,
            Pair.cohort_id,
            func.count(),
            count_if(col(Pair.activated_at).is_not(None)),
            count_if(col(Pair.status) == PairStatus.DECLINED),
            count_if(col(Pair.status) == PairStatus.PROPOSED),
            count_if(col(Pair.status) == PairStatus.EXPIRED),
            count_if(signed),
            count_if(met.exists()),
            count_if(col(Pair.activated_at).is_not(None) & still.exists()),
        ).group_by(Pair.team_id, Pair.cohort_id),
        team_id,
    )
    return [tuple(row) for row in session.exec(query).all()]  # type: ignore[misc]


def pairs_without_action(
    session: Session, team_id: str, status: str, action: str
) -> list[tuple[Pair, Person, Person]]:
    """The workspace's pairs in `status` that no admin has taken `action` on yet, with their
    mentor and mentee, oldest first (one statement; a bulk action does each pair once)."""
    mentor, mentee = aliased(Person), aliased(Person)
    done = (
        select(AdminAction.id)
        .where(AdminAction.pair_id == Pair.id, AdminAction.action == action)
        .correlate(Pair)
        .exists()
    )
    rows = session.exec(
        select(Pair, mentor, mentee)
        .join(mentor, col(mentor.id) == col(Pair.mentor_id))
        .join(mentee, col(mentee.id) == col(Pair.mentee_id))
        .where(Pair.team_id == team_id, Pair.status == status, ~done)
        .order_by(col(Pair.id))
    ).all()
    return [(pair, mentor_row, mentee_row) for pair, mentor_row, mentee_row in rows]


def profiles_in_pairs(session: Session, team_id: str, status: str) -> dict[int, JoinProfile]:
    """Join profiles (by person id) of everyone in one of the workspace's pairs in `status`."""
    members = select(Pair.mentor_id).where(Pair.team_id == team_id, Pair.status == status)
    members = members.union(
        select(Pair.mentee_id).where(Pair.team_id == team_id, Pair.status == status)
    )
    rows = session.exec(
        select(JoinProfile).where(
            JoinProfile.team_id == team_id, col(JoinProfile.person_id).in_(members)
        )
    ).all()
    return {profile.person_id: profile for profile in rows}


def leave_pools(session: Session, team_id: str, person_id: int, now: datetime) -> int:
    """Take `person_id` out of the workspace's matching pool; how many profiles changed."""
    result = session.execute(
        update(JoinProfile)
        .where(
            col(JoinProfile.team_id) == team_id,
            col(JoinProfile.person_id) == person_id,
            col(JoinProfile.in_pool).is_(True),
        )
        .values(in_pool=False, updated_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
