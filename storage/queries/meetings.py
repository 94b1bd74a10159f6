"""Meetings and series: what is next for a pair, what is due for the scheduler, what was said."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import insert_if_absent
from storage.models import Meeting, MeetingSeries, MeetingStatus, Pair, PairStatus
from storage.queries.workspaces import installed


def series_of(session: Session, pair_id: int) -> MeetingSeries | None:
    """The pair's series, running or stopped (there is at most one)."""
    return session.exec(select(MeetingSeries).where(MeetingSeries.pair_id == pair_id)).first()


def active_series(session: Session, pair_id: int) -> MeetingSeries | None:
    """The pair's series, if it is running."""
    series = series_of(session, pair_id)
    return series if series is not None and series.active else None


def meeting_at(session: Session, pair_id: int, occurrence_at: datetime) -> Meeting | None:
    """The row standing for the series occurrence at `occurrence_at`, if there is one."""
    return session.exec(
        select(Meeting).where(Meeting.pair_id == pair_id, Meeting.occurrence_at == occurrence_at)
    ).first()


def insert_occurrence(session: Session, meeting: Meeting) -> Meeting:
    """Add the row for a series occurrence unless one exists (two schedulers may race here);
    returns the row that exists afterwards."""
    values = meeting.model_dump(exclude={"id"})
    insert_if_absent(session, Meeting, values, ["pair_id", "occurrence_at"])
    found = meeting_at(session, meeting.pair_id, meeting.occurrence_at)
    assert found is not None
    return found


def upcoming_meetings(session: Session, pair_id: int, now: datetime) -> list[Meeting]:
    """The pair's scheduled meetings that have not started yet, soonest first."""
    return list(
        session.exec(
            select(Meeting)
            .where(
                Meeting.pair_id == pair_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
            )
            .order_by(col(Meeting.starts_at))
        )
    )


def next_meeting(session: Session, pair_id: int, now: datetime) -> Meeting | None:
    """The pair's next scheduled meeting, if any."""
    upcoming = upcoming_meetings(session, pair_id, now)
    return upcoming[0] if upcoming else None


def scheduled_before(session: Session, pair_id: int, now: datetime) -> list[Meeting]:
    """Meetings still marked scheduled that began before `now` (e.g. during a pause)."""
    return list(
        session.exec(
            select(Meeting).where(
                Meeting.pair_id == pair_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at <= now,
            )
        )
    )


def scheduled_before_of_pairs(
    session: Session, pair_ids: list[int], now: datetime
) -> dict[int, list[Meeting]]:
    """`scheduled_before` for many pairs, in one statement."""
    if not pair_ids:
        return {}
    found: dict[int, list[Meeting]] = {}
    rows = session.exec(
        select(Meeting).where(
            col(Meeting.pair_id).in_(pair_ids),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now,
        )
    )
    for meeting in rows:
        found.setdefault(meeting.pair_id, []).append(meeting)
    return found


def meetings_began_between(
    session: Session, pair_ids: list[int], since: datetime, until: datetime
) -> dict[int, list[Meeting]]:
    """The meetings (not cancelled) of these pairs that began in [since, until), in one
    statement."""
    found: dict[int, list[Meeting]] = {}
    if not pair_ids:
        return found
    rows = session.exec(
        select(Meeting).where(
            col(Meeting.pair_id).in_(pair_ids),
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
        )
    )
    for meeting in rows:
        found.setdefault(meeting.pair_id, []).append(meeting)
    return found


def scheduled_after(session: Session, pair_id: int, now: datetime) -> list[Meeting]:
    """Scheduled series occurrences after `now` (what a change of cadence replaces)."""
    return list(
        session.exec(
            select(Meeting).where(
                Meeting.pair_id == pair_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                col(Meeting.occurrence_at).is_not(None),
                Meeting.starts_at > now,
            )
        )
    )


def _locked(session: Session, query):  # type: ignore[no-untyped-def]
    """Two schedulers on PostgreSQL split the work instead of both doing it."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True, of=query.column_descriptions[0]["entity"])
    return query


def meetings_with_due_nudges(session: Session, now: datetime, limit: int) -> list[Meeting]:
    """Up to `limit` meetings of active pairs with a reminder or follow-up due at `now`."""
    query = (
        select(Meeting)
        .where(
            col(Meeting.next_nudge_at) <= now,
            _pair_is_active(Meeting.pair_id),
            installed(Meeting.team_id),
        )
        .order_by(col(Meeting.next_nudge_at), col(Meeting.id))
        .limit(limit)
    )
    return list(session.exec(_locked(session, query)))


def _pair_is_active(pair_id_column):  # type: ignore[no-untyped-def]
    """A correlated EXISTS, not a join: the planner must then start from the due-date index
    (a join lets SQLite, which keeps no statistics, start from every active pair instead)."""
    return (
        select(Pair.id)
        .where(col(Pair.id) == pair_id_column, Pair.status == PairStatus.ACTIVE)
        .exists()
    )


def series_with_due_lapse_check(session: Session, now: datetime) -> list[MeetingSeries]:
    """Active series of active pairs whose lapse clock should be looked at."""
    query = (
        select(MeetingSeries)
        .where(
            col(MeetingSeries.next_lapse_at) <= now,
            col(MeetingSeries.active).is_(True),
            _pair_is_active(MeetingSeries.pair_id),
            installed(MeetingSeries.team_id),
        )
        .order_by(col(MeetingSeries.next_lapse_at), col(MeetingSeries.id))
    )
    return list(session.exec(_locked(session, query)))


def pairs_due_to_resume(session: Session, now: datetime) -> list[Pair]:
    """Paused pairs whose pause has run out."""
    query = (
        select(Pair)
        .where(
            Pair.status == PairStatus.PAUSED,
            col(Pair.paused_until) <= now,
            installed(Pair.team_id),
        )
        .order_by(col(Pair.id))
    )
    return list(session.exec(_locked(session, query)))


def pair_meetings(session: Session, pair_id: int) -> list[Meeting]:
    """Every meeting row of the pair, in time order."""
    return list(
        session.exec(
            select(Meeting).where(Meeting.pair_id == pair_id).order_by(col(Meeting.starts_at))
        )
    )


def met_meetings(session: Session, pair_id: int, limit: int = 100) -> list[Meeting]:
    """The pair's meetings marked as held, most recent first (private: members only)."""
    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.pair_id == pair_id, Meeting.status == MeetingStatus.MET)
            .order_by(col(Meeting.starts_at).desc())
            .limit(limit)
        )
    )


def scheduled_on_day(
    session: Session, pair_id: int, start: datetime, end: datetime
) -> Meeting | None:
    """A scheduled meeting of the pair starting in [start, end) (a logged one may be it)."""
    return session.exec(
        select(Meeting)
        .where(
            Meeting.pair_id == pair_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(col(Meeting.starts_at))
        .limit(1)
    ).first()


def series_of_pairs(session: Session, pair_ids: list[int]) -> dict[int, MeetingSeries]:
    """The running series of each of these pairs, in one statement."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(MeetingSeries).where(
            col(MeetingSeries.pair_id).in_(pair_ids), col(MeetingSeries.active).is_(True)
        )
    )
    return {row.pair_id: row for row in rows}


def next_meetings(session: Session, pair_ids: list[int], now: datetime) -> dict[int, Meeting]:
    """Each pair's next scheduled meeting, in one statement (a pair has a handful ahead)."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(Meeting)
        .where(
            col(Meeting.pair_id).in_(pair_ids),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now,
        )
        .order_by(col(Meeting.starts_at).desc())
    )
    return {row.pair_id: row for row in rows}  # the soonest is seen last and wins


def met_meetings_of(
    session: Session, pair_ids: list[int], limit: int = 100
) -> dict[int, list[Meeting]]:
    """`met_meetings` of each of these pairs (most recent first, at most `limit` each), in one
    statement."""
    found: dict[int, list[Meeting]] = {pair_id: [] for pair_id in pair_ids}
    if not pair_ids:
        return found
    rows = session.exec(
        select(Meeting)
        .where(col(Meeting.pair_id).in_(pair_ids), Meeting.status == MeetingStatus.MET)
        .order_by(col(Meeting.starts_at).desc())
    )
    for meeting in rows:
        if len(found[meeting.pair_id]) < limit:
            found[meeting.pair_id].append(meeting)
    return found


def pairs_by_id(session: Session, pair_ids: set[int]) -> dict[int, Pair]:
    """The pairs with these ids, in one statement."""
    if not pair_ids:
        return {}
    return {p.id: p for p in session.exec(select(Pair).where(col(Pair.id).in_(pair_ids)))}


def first_met_of(session: Session, pair_ids: list[int]) -> dict[int, datetime]:
    """When each pair's first meeting marked met began (pairs that never met are left out),
    in one statement."""
    if not pair_ids:
        return {}
    rows = session.exec(
        select(Meeting.pair_id, func.min(Meeting.starts_at))
        .where(col(Meeting.pair_id).in_(pair_ids), Meeting.status == MeetingStatus.MET)
        .group_by(col(Meeting.pair_id))
    )
    return {pair_id: first for pair_id, first in rows}
