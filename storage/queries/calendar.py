"""Calendar feeds' SQL: the feed's owner by token hash, a person's pairs with their series
and partners, those pairs' occurrence rows, and each series' last shown form."""

from datetime import datetime

from sqlalchemy import and_, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.db import insert_if_absent
from storage.models import (
    CalendarFeed,
    CalendarSeries,
    Meeting,
    MeetingSeries,
    Pair,
    PairStatus,
    PausedSpan,
    Person,
)

# Pairs whose meetings a feed shows: running, paused (its pause removes occurrences) and
# ended (the series stops at the end).
SHOWN = (PairStatus.ACTIVE, PairStatus.PAUSED, PairStatus.ENDED)


def feed_owner(session: Session, token_hash: str) -> Person | None:
    """The person whose feed token hashes to `token_hash` (one indexed lookup)."""
    return session.exec(
        select(Person)
        .join(CalendarFeed, col(CalendarFeed.person_id) == col(Person.id))
        .where(CalendarFeed.token_hash == token_hash, col(Person.erased_at).is_(None))
    ).first()


def replace_feed_token(session: Session, person: Person, token_hash: str, now: datetime) -> None:
    """Give `person` the feed token hashing to `token_hash`; any previous token stops working."""
    values = {"team_id": person.team_id, "token_hash": token_hash, "created_at": now}
    if not insert_if_absent(session, CalendarFeed, {"person_id": person.id, **values}):
        session.exec(  # type: ignore[call-overload]
            update(CalendarFeed).where(col(CalendarFeed.person_id) == person.id).values(**values)
        )


def has_feed(session: Session, person_id: int) -> bool:
    """Whether `person_id` has a feed address."""
    return session.get(CalendarFeed, person_id) is not None


def feed_series(session: Session, person: Person) -> list[tuple[Pair, MeetingSeries, Person]]:
    """The person's shown pairs that have a series, each with its series and the partner, in
    one statement."""
    partner = aliased(Person)
    mine = or_(col(Pair.mentor_id) == person.id, col(Pair.mentee_id) == person.id)
    other = or_(
        and_(col(Pair.mentor_id) == person.id, col(Pair.mentee_id) == col(partner.id)),
        and_(col(Pair.mentee_id) == person.id, col(Pair.mentor_id) == col(partner.id)),
    )
    rows = session.exec(
        select(Pair, MeetingSeries, partner)
        .join(MeetingSeries, col(MeetingSeries.pair_id) == col(Pair.id))
        .join(partner, other)
        .where(mine, col(Pair.team_id) == person.team_id, col(Pair.status).in_(SHOWN))
        .order_by(col(Pair.id))
    ).all()
    return [(pair, series, who) for pair, series, who in rows]


def series_rows(session: Session, series_ids: list[int]) -> list[Meeting]:
    """The occurrence rows (skipped, cancelled, moved, held...) of these series."""
    if not series_ids:
        return []
    return list(
        session.exec(
            select(Meeting)
            .where(col(Meeting.series_id).in_(series_ids), col(Meeting.occurrence_at).is_not(None))
            .order_by(col(Meeting.occurrence_at))
        )
    )


def shown_forms(session: Session, series_ids: list[int]) -> dict[int, CalendarSeries]:
    """Each series' last shown form, by series id."""
    if not series_ids:
        return {}
    rows = session.exec(select(CalendarSeries).where(col(CalendarSeries.series_id).in_(series_ids)))
    return {row.series_id: row for row in rows}


def record_shown_form(
    session: Session, series: MeetingSeries, fingerprint: str, sequence: int, now: datetime
) -> None:
    """Remember that `series` was shown as `fingerprint` with `sequence` since `now`."""
    values = {"fingerprint": fingerprint, "sequence": sequence, "modified_at": now}
    row = {"series_id": series.id, "team_id": series.team_id, **values}
    if not insert_if_absent(session, CalendarSeries, row):
        session.exec(  # type: ignore[call-overload]
            update(CalendarSeries)
            .where(
                col(CalendarSeries.series_id) == series.id,
                col(CalendarSeries.fingerprint) != fingerprint,
            )
            .values(**values)
        )


def record_pause(session: Session, pair: Pair, starts_at: datetime, ends_at: datetime) -> None:
    """Remember that `pair` is paused from `starts_at` until `ends_at` (a new pause of a
    paused pair changes the running span's end)."""
    running = _running_pause(session, pair.id or 0, starts_at)
    if running is not None:
        running.ends_at = ends_at
        session.add(running)
        return
    session.add(
        PausedSpan(team_id=pair.team_id, pair_id=pair.id, starts_at=starts_at, ends_at=ends_at)
    )


def end_pause(session: Session, pair_id: int, at: datetime) -> None:
    """The pair's running pause ends at `at` (resumed early, or ended)."""
    running = _running_pause(session, pair_id, at)
    if running is not None:
        running.ends_at = at
        session.add(running)


def _running_pause(session: Session, pair_id: int, at: datetime) -> PausedSpan | None:
    return session.exec(
        select(PausedSpan).where(
            PausedSpan.pair_id == pair_id,
            col(PausedSpan.starts_at) <= at,
            col(PausedSpan.ends_at) > at,
        )
    ).first()


def paused_spans(session: Session, pair_ids: list[int]) -> list[PausedSpan]:
    """Every span these pairs were (or are) paused for."""
    if not pair_ids:
        return []
    return list(
        session.exec(
            select(PausedSpan)
            .where(col(PausedSpan.pair_id).in_(pair_ids))
            .order_by(col(PausedSpan.starts_at))
        )
    )
