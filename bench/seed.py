"""`python -m bench seed --pairs N --database-url URL`: a realistic programme, in bulk.

What a programme looks like after months of Tandem running, at the instant `AT`:
- people across seven timezones; one mentor (`STAR`) in 20 pairs, every other mentor in two;
- pairs activated 30 to 430 days ago; 2% paused, 3% ended, the rest active;
- each pair's charter (a second version for one pair in four), acknowledged by both; its
  meeting series; past meetings on its rhythm (met, now and then skipped, with notes); the
  next occurrence scheduled with its reminders armed;
- goals with three milestones (some done, some overdue), agenda items, feedback both ways,
  contributions, completed review rounds with both members' answers, anniversaries and
  meeting streaks already celebrated, and the welcome messages in the outbox, sent;
- one pair in ten drifting (`drifting`: every other meeting skipped), its next look at its
  rhythm within four days, the other pairs' within a week;
- every `next_*_at` the scheduler keeps already in the future, as if it had been running:
  nothing is due at `AT` (an idle tick), and at `DUE_AT` one active pair in a hundred has one
  thing due (a reminder, a follow-up, a feedback prompt, a review, giving back, a lapse or an
  anniversary, in turn), and another one in a hundred, drifting, its look at its rhythm.

Rows are plain lists (no ORM objects), ids assigned here, generated for a few thousand pairs
at a time while a writer thread writes the previous batch: a binary COPY per table on
PostgreSQL, one executemany per table on SQLite. What depends only on a pair's activation
(its rhythm, calendar and meeting history) is worked out once and shared. The seeding
connections skip the foreign-key checks and, on SQLite, the journal (the ids are assigned here,
and a failed seed is simply run again on a fresh database); indexes stay as the app has them.
100,000 pairs take about a minute of CPU. The database must be migrated (`tandem db upgrade`)
and hold no pairs yet.
"""

import argparse
import gc
import json
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    TypeDecorator,
    event,
    func,
    select,
    text,
)

from bot.meetings import lapse
from bot.meetings.recurrence_rules import (
    Rhythm,
    cadence_period,
    cadence_rule,
    first_day,
    nth_weekday_of_month,
    to_instant,
)
from bot.reflection.rhythm_rules import GIVING_BACK_PERIOD, feedback_step, following
from storage.db import create_db_engine, is_postgres
from storage.migrate import upgrade
from storage.models import (
    AgendaItem,
    Celebration,
    CharterAck,
    CharterVersion,
    Contribution,
    Feedback,
    GivingBack,
    Goal,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Milestone,
    OutboxMessage,
    Pair,
    PairStatus,
    Person,
    Review,
    ReviewAnswer,
    Workspace,
)

TEAM = "TBENCH"
AT = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday noon: the programme's "now"
DUE_AT = AT + timedelta(minutes=5)  # by then, 1% of the pairs have something due
STAR = "UMSTAR000"
STAR_PAIRS = 20
DUE_EVERY = 100
DUE_KINDS = (
    "reminder",
    "followup",
    "feedback",
    "review",
    "giving_back",
    "lapse",
    "anniversary",
)
ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Europe/London",
    "Australia/Sydney",
)
CADENCES = ("weekly", "biweekly", "monthly")
TIMES = ("09:00", "10:00", "14:00", "16:30")
FOCUS = ["system design", "stakeholders", "career", "writing"]
REVIEW_MONTHS = 3
CHUNK = 2500  # pairs generated and written at a time
T = TypeVar("T")


def mentor_of(n: int) -> str:
    """The Slack id of pair n's mentor."""
    return STAR if n < STAR_PAIRS else f"UM{(n - STAR_PAIRS) // 2:06d}"


def mentee_of(n: int) -> str:
    """The Slack id of pair n's mentee."""
    return f"UE{n:06d}"


def home_of(n: int) -> str:
    """Pair n's group DM."""
    return f"G{n:08d}"


def status_of(n: int) -> str:
    """Pair n's status: 3% ended, 2% paused, the rest active (the star's pairs all active)."""
    if n < STAR_PAIRS or n % DUE_EVERY == DUE_EVERY // 2:
        return PairStatus.ACTIVE
    if n % 50 in (7, 29, 41):
        return PairStatus.ENDED
    if n % 50 in (13, 37):
        return PairStatus.PAUSED
    return PairStatus.ACTIVE


def due_kind(n: int) -> str | None:
    """What pair n has due at DUE_AT, if it is one of the 1%."""
    if n % DUE_EVERY != DUE_EVERY // 2:
        return None
    return DUE_KINDS[(n // DUE_EVERY) % len(DUE_KINDS)]


def drifting(n: int) -> bool:
    """Whether pair n skips every other meeting (never a pair gone quiet: n is even)."""
    return n % 10 == 6


def drift_check_of(n: int) -> datetime:
    """When pair n's rhythm is next looked at: the drifting ones within four days (one in a
    hundred of them at DUE_AT), the others within a week, each minutes after AT at the soonest."""
    if n % DUE_EVERY == DUE_EVERY // 2 + 6:
        return DUE_AT - timedelta(minutes=1)
    spread = (4 if drifting(n) else 7) * 24 * 60
    return AT + timedelta(minutes=10 + (n * 7919) % spread)


def people_of(pairs: int) -> list[str]:
    """Every Slack id of a programme of `pairs` pairs: mentors, then mentees."""
    mentors = sorted({mentor_of(n) for n in range(pairs)})
    return mentors + [mentee_of(n) for n in range(pairs)]


def zone_of(user_id: str) -> str:
    """A person's timezone (spread by their id)."""
    return ZONES[sum(map(ord, user_id)) % len(ZONES)]


@dataclass
class Ids:
    """The next id of each table (ids are assigned here, so rows can point at each other)."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


def _sqlite_instant(value: datetime) -> str:
    """What SQLAlchemy stores for an aware datetime on SQLite: UTC, naive, to the µs."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


# How a value reaches SQLite, by column type: what the type's own bind processor does for the
# values the seeder writes, without SQLAlchemy's per-value dispatch. Values of the types marked
# True repeat a lot across pairs (the same instants, dates, flags): each is converted once.
# (psycopg's binary COPY adapts every value itself, JSON included, once told the column types.)
SQLITE_VALUES: dict[type, tuple[Callable[[Any], Any], bool]] = {
    DateTime: (_sqlite_instant, True),
    Date: (date.isoformat, True),
    Boolean: (int, True),
    JSON: (json.dumps, False),
}


class Table:
    """One table's rows waiting to be written, each a list in column order."""

    def __init__(self, model: type) -> None:
        table = model.__table__  # type: ignore[attr-defined]
        self.name: str = table.name
        self.columns = list(table.columns)
        self.names = [column.name for column in self.columns]
        self.defaults = [_default(column) for column in self.columns]
        self.rows: list[list[Any]] = []

    def pg_types(self, dialect: Any) -> list[str]:
        """Each column's PostgreSQL type name, for a binary COPY ("varchar", not "VARCHAR(64)")."""
        return [
            column.type.compile(dialect=dialect).split("(")[0].lower() for column in self.columns
        ]

    def add(self, values: dict[str, Any]) -> None:
        self.rows.append(list(map(values.get, self.names, self.defaults)))

    def for_sqlite(self, memos: dict[Callable, dict]) -> list[list[Any]]:
        """The rows, each value as SQLite stores it (`memos` remember conversions)."""
        for index, column in enumerate(self.columns):
            kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
            found = [f for t, f in SQLITE_VALUES.items() if isinstance(kind, t)]
            if not found:
                continue
            convert, repeats = found[0]
            memo = memos.setdefault(convert, {})
            for row in self.rows:
                value = row[index]
                if value is None:
                    continue
                if not repeats:
                    row[index] = convert(value)
                    continue
                done = memo.get(value)
                if done is None:
                    done = memo[value] = convert(value)
                row[index] = done
        return self.rows


def _default(column: Any) -> Any:
    """A column's scalar default (None when it has none or computes one)."""
    default = column.default
    return default.arg if default is not None and not callable(default.arg) else None


# Parents before children, for foreign keys.
ORDER = (
    Workspace,
    Person,
    Pair,
    CharterVersion,
    CharterAck,
    MeetingSeries,
    Meeting,
    AgendaItem,
    Goal,
    Milestone,
    Feedback,
    Contribution,
    Review,
    ReviewAnswer,
    GivingBack,
    Celebration,
    OutboxMessage,
)


class Rows:
    """The rows of a few thousand pairs, by model, until they are written."""

    def __init__(self) -> None:
        self.tables = {model: Table(model) for model in ORDER}

    def add(self, model: type, **values: Any) -> None:
        """Queue one row; columns not given take their default."""
        self.tables[model].add(values)

    def count(self) -> int:
        return sum(len(table.rows) for table in self.tables.values())


def _insert(connection: Connection, table: Table, memos: dict[Callable, dict]) -> None:
    """Write one table's rows straight through the driver: a binary COPY on PostgreSQL, one
    executemany of plain rows on SQLite."""
    names = ", ".join(f'"{name}"' for name in table.names)
    cursor = connection.connection.cursor()
    try:
        if is_postgres(connection.engine):
            sql = f'COPY "{table.name}" ({names}) FROM STDIN (FORMAT BINARY)'
            with cursor.copy(sql) as copy:  # type: ignore[attr-defined]
                copy.set_types(table.pg_types(connection.dialect))
                for row in table.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * len(table.names))
            sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
            cursor.executemany(sql, table.for_sqlite(memos))
    finally:
        cursor.close()


def _write(engine: Engine, rows: Rows) -> None:
    memos: dict[Callable, dict] = {}
    with engine.begin() as connection:
        for table in rows.tables.values():
            if table.rows:
                _insert(connection, table, memos)


def _people(rows: Rows, ids: Ids, user_ids: list[str], person_ids: dict[str, int]) -> None:
    for user_id in user_ids:
        person_ids[user_id] = pid = ids.take("person")
        name = user_id.lower()
        rows.add(
            Person,
            id=pid,
            team_id=TEAM,
            user_id=user_id,
            display_name=name,
            real_name=f"Person {name[2:]}",
            tz=zone_of(user_id),
            is_bot=False,
            deleted=False,
            is_workspace_admin=False,
            refreshed_at=AT - timedelta(hours=2),
            created_at=AT - timedelta(days=500),
        )


@dataclass
class _Pair:
    """What the generator knows about one pair while writing its rows."""

    n: int
    id: int
    mentor: int
    mentee: int
    status: str
    activated: datetime
    rhythm: Rhythm
    cadence: str
    due: str | None


def _rhythm(n: int, activated: datetime, zone: str) -> tuple[str, Rhythm]:
    key = (n % 60, activated, zone)  # cadence, weekday and time all repeat every 60 pairs
    found = _RHYTHMS.get(key)
    if found is None:
        cadence = CADENCES[n % len(CADENCES)]
        weekday = n % 5
        hour, minute = (int(x) for x in TIMES[n % len(TIMES)].split(":"))
        first = activated.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
        first += timedelta(days=(weekday - first.weekday()) % 7)
        local = datetime(first.year, first.month, first.day, hour, minute)
        found = _RHYTHMS[key] = (
            cadence,
            Rhythm(cadence_rule(cadence, weekday, first), local, zone),
        )
    return found


# Pairs share their activation instants (a pair's age repeats every 1,200 pairs) and hence
# their rhythms and calendars: each is worked out once.
_RHYTHMS: dict[tuple[int, datetime, str], tuple[str, Rhythm]] = {}
_SCHEDULES: dict[tuple[Rhythm, datetime], tuple[list[datetime], datetime]] = {}
_CALENDARS: dict[datetime, "_Calendar"] = {}


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _occurrences(rhythm: Rhythm, wall_from: datetime) -> Iterator[datetime]:
    """The series' instants in order from wall time `wall_from` on, by calendar arithmetic
    (what its RRULE expands to, at a fraction of dateutil's cost: the seeder needs millions)."""
    zone, start = ZoneInfo(rhythm.timezone), rhythm.local_start
    if "MONTHLY" in rhythm.rule:
        nth = nth_weekday_of_month(start.date())
        month = max(date(start.year, start.month, 1), date(wall_from.year, wall_from.month, 1))
        while True:
            day = first_day(start.weekday(), month)
            if nth == -1:
                day = first_day(start.weekday(), _next_month(month) - timedelta(days=7))
            else:
                day += timedelta(weeks=nth - 1)
            if day >= start.date():
                yield to_instant(datetime.combine(day, start.time()), zone)
            month = _next_month(month)
    step = timedelta(weeks=2 if "INTERVAL=2" in rhythm.rule else 1)
    wall = start + max(0, (wall_from - start) // step) * step
    while True:
        yield to_instant(wall, zone)
        wall += step


def _schedule(rhythm: Rhythm, since: datetime) -> tuple[list[datetime], datetime]:
    """The series' instants after `since` until two hours before AT (its history), and its
    first instant more than two hours after AT (the next meeting)."""
    key = (rhythm, since)
    found = _SCHEDULES.get(key)
    if found is not None:
        return found
    # A day early in wall time: offsets differ by hours, never by a day.
    wall_from = since.astimezone(ZoneInfo(rhythm.timezone)).replace(tzinfo=None)
    history, until, after = [], AT - timedelta(hours=2), AT + timedelta(hours=2)
    for at in _occurrences(rhythm, wall_from - timedelta(days=1)):
        if since < at < until:
            history.append(at)
        if at > after:
            found = _SCHEDULES[key] = (history, at)
            return found
    raise AssertionError("unreachable: a series never ends")


def _meeting(rows: Rows, ids: Ids, p: _Pair, series_id: int, at: datetime, **values: Any) -> None:
    """One meeting of the pair's series at `at` (scheduled and empty unless `values` say)."""
    rows.add(
        Meeting,
        **{
            "id": ids.take("meeting"),
            "team_id": TEAM,
            "pair_id": p.id,
            "series_id": series_id,
            "occurrence_at": at,
            "starts_at": at,
            "duration_minutes": 45,
            "status": MeetingStatus.SCHEDULED,
            "revision": 0,
            "next_nudge_at": None,
            "discussed": "",
            "lesson": "",
            "next_actions": "",
            "focus_areas": [],
            **values,
        },
    )


def _celebration(
    rows: Rows, ids: Ids, p: _Pair, kind: str, subject: str, at: datetime, shared: str
) -> None:
    rows.add(
        Celebration,
        id=ids.take("celebration"),
        team_id=TEAM,
        pair_id=p.id,
        kind=kind,
        subject_key=subject,
        share_status=shared,
        share_attempts=0,
        created_at=at,
    )


def _meetings(
    rows: Rows, ids: Ids, p: _Pair, series_id: int
) -> tuple[datetime | None, datetime | None]:
    """Past meetings (the last ten weeks of the rhythm) and, unless the pair ended, the next
    one scheduled with its reminders armed; returns (last met, next meeting's start)."""
    history, upcoming = _schedule(p.rhythm, max(p.activated, AT - timedelta(weeks=10)))
    last_met = None
    run: list[datetime] = []
    for k, at in enumerate(history):
        quiet = p.n % 4 == 1 and at > AT - timedelta(weeks=6)  # a pair gone quiet
        skipped = not quiet and ((p.n + k) % 9 == 4 if not drifting(p.n) else k % 2 == 1)
        if quiet:
            skipped = bool(k % 2)
            if not skipped:
                continue  # never logged: no row (the series made none while nobody looked)
        if skipped:
            _meeting(
                rows,
                ids,
                p,
                series_id,
                at,
                status=MeetingStatus.SKIPPED,
                created_at=at - timedelta(days=7),
            )
            run = []
            continue
        _meeting(
            rows,
            ids,
            p,
            series_id,
            at,
            status=MeetingStatus.MET,
            discussed="Roadmap and the next design review.",
            lesson="Write the decision down before the meeting.",
            next_actions="Draft the RFC; ask for two reviewers.",
            focus_areas=FOCUS[k % 4 : k % 4 + 1],
            logged_by_id=p.mentee,
            logged_at=at + timedelta(hours=1),
            created_at=at - timedelta(days=7),
        )
        last_met = at
        run.append(at)
    if len(run) >= 5:
        streak = max(s for s in (5, 10, 20, 50) if len(run) >= s)
        subject = f"streak-{streak}@{run[0]:%Y%m%dT%H%M}"
        _celebration(
            rows, ids, p, "streak", subject, run[streak - 1] + timedelta(hours=2), "not_asked"
        )
    if p.status == PairStatus.ENDED:
        return last_met, None
    nudge = min(t for t in (upcoming - timedelta(days=1), upcoming - timedelta(hours=1)) if t > AT)
    if p.due == "reminder":
        upcoming = DUE_AT + timedelta(minutes=59)  # moved to just after lunch: 1-hour reminder due
        nudge = upcoming - timedelta(hours=1)
    if p.due == "followup":
        started = DUE_AT - timedelta(minutes=46)
        _meeting(
            rows,
            ids,
            p,
            series_id,
            started,
            next_nudge_at=started + timedelta(minutes=45),
            created_at=started - timedelta(days=7),
        )
    _meeting(
        rows, ids, p, series_id, upcoming, next_nudge_at=nudge, created_at=AT - timedelta(days=3)
    )
    return last_met, upcoming


def _charter(rows: Rows, ids: Ids, p: _Pair, zone: str) -> int:
    """The pair's charter versions; returns the id of the last (the one its series follows)."""
    versions = 2 if p.n % 4 == 0 else 1
    cid = 0
    for version in range(1, versions + 1):
        cid = ids.take("charter_version")
        created = p.activated + timedelta(days=2 + 20 * (version - 1))
        rows.add(
            CharterVersion,
            id=cid,
            team_id=TEAM,
            pair_id=p.id,
            version=version,
            author_id=p.mentor if version == 1 else p.mentee,
            created_at=created,
            mentor_objectives="Help them grow into a tech lead.",
            mentee_objectives="Lead a project end to end.",
            success_looks_like="They run the launch with confidence.",
            cadence=p.cadence,
            weekday=p.n % 5,
            meeting_time=TIMES[p.n % len(TIMES)],
            timezone=zone,
            session_minutes=45,
            meeting_format="video",
            async_channel="this group DM",
            feedback_candour="balanced",
            feedback_frequency_weeks=4,
            feedback_medium="written",
            topics_in_scope="Design, people, career",
            topics_out_of_scope="Salary",
            confidentiality="What we say stays between us.",
            focus_areas=FOCUS[: 1 + p.n % len(FOCUS)],
            celebration_sharing="ask",
            review_interval_months=None,
            change_summary="" if version == 1 else "Meet in the afternoon.",
        )
        acked_by = (p.mentor, p.mentee) if version == 1 or p.n % 8 else (p.mentee,)
        for person in acked_by:
            rows.add(
                CharterAck,
                id=ids.take("charter_ack"),
                team_id=TEAM,
                charter_version_id=cid,
                person_id=person,
                acked_at=created + timedelta(hours=5),
            )
    return cid


def _goals(rows: Rows, ids: Ids, p: _Pair) -> None:
    for g in range(1 + p.n % 2):
        gid = ids.take("goal")
        completed = g == 1 and p.n % 3 == 0
        rows.add(
            Goal,
            id=gid,
            team_id=TEAM,
            pair_id=p.id,
            owner_id=p.mentee,
            created_by_id=p.mentee,
            title="Run a design review" if g == 0 else "Give a talk",
            why="To lead the Q3 launch.",
            target_date=(AT + timedelta(days=40 - 30 * g)).date(),
            status="completed" if completed else "active",
            status_reason="",
            percent=100 if completed else 30 + 10 * (p.n % 5),
            created_at=p.activated + timedelta(days=5),
            updated_at=AT - timedelta(days=p.n % 20),
            completed_at=AT - timedelta(days=10) if completed else None,
        )
        for position, (title, days, done) in enumerate(
            (
                ("Read the RFC guide", -20, True),
                ("Draft an RFC", -3, completed or p.n % 2 == 0),
                ("Present it", 20, completed),
            )
        ):
            due = (AT + timedelta(days=days)).date()
            rows.add(
                Milestone,
                id=ids.take("milestone"),
                team_id=TEAM,
                goal_id=gid,
                position=position,
                title=title,
                due_date=due,
                done_at=AT + timedelta(days=days - 1) if done else None,
                done_by_id=p.mentee if done else None,
            )
            if done:
                subject = str(ids.next["milestone"] - 1)
                _celebration(
                    rows, ids, p, "milestone", subject, AT + timedelta(days=days - 1), "declined"
                )


def _reflection(rows: Rows, ids: Ids, p: _Pair) -> None:
    for k, (author, kind, visibility) in enumerate(
        ((p.mentee, "support", "partner"), (p.mentor, "general", "programme"))
    ):
        rows.add(
            Feedback,
            id=ids.take("feedback"),
            team_id=TEAM,
            pair_id=p.id,
            author_id=author,
            kind=kind,
            text="The weekly check-ins keep me honest.",
            visibility=visibility,
            reply="",
            created_at=AT - timedelta(days=10 + 15 * k),
        )
    for k, (giver, receiver) in enumerate(((p.mentor, p.mentee), (p.mentee, p.mentor))):
        rows.add(
            Contribution,
            id=ids.take("contribution"),
            team_id=TEAM,
            pair_id=p.id,
            giver_id=giver,
            receiver_id=receiver,
            kind="article",
            text="A good read on design reviews.",
            # Due for giving back: the mentee shared something since the last digest.
            created_at=AT - timedelta(days=1 if p.due == "giving_back" else 12 + 20 * k),
        )
    for round_no, opened in enumerate(_calendar(p.activated).reviews, start=1):
        rid = ids.take("review")
        rows.add(
            Review,
            id=rid,
            team_id=TEAM,
            pair_id=p.id,
            round=round_no,
            opened_at=opened,
            completed_at=opened + timedelta(days=3),
        )
        for person, score in ((p.mentor, 4), (p.mentee, 3 + p.n % 3)):
            rows.add(
                ReviewAnswer,
                id=ids.take("review_answer"),
                team_id=TEAM,
                review_id=rid,
                person_id=person,
                value_score=score,
                time_commitment="right",
                goals_still_right="yes",
                decision="continue",
                note="Worth our time.",
                answered_at=opened + timedelta(days=2),
            )
    for reached, when in _calendar(p.activated).anniversaries:
        _celebration(rows, ids, p, "anniversary", f"{reached}m", when, "not_asked")


@dataclass(frozen=True)
class _Calendar:
    """What follows from a pair's activation instant alone, at AT."""

    reviews: list[datetime]  # review rounds opened so far, in order
    anniversaries: list[tuple[int, datetime]]  # (months, when) celebrated so far
    next_anniversary: datetime | None  # the first not yet celebrated
    next_feedback: datetime
    next_review: datetime
    next_giving: datetime


def _calendar(activated: datetime) -> _Calendar:
    found = _CALENDARS.get(activated)
    if found is not None:
        return found
    step = relativedelta(months=REVIEW_MONTHS)
    reviews, opened = [], activated + step
    while opened <= AT:
        reviews.append(opened)
        opened += step
    months = [(m, activated + relativedelta(months=m)) for m in (3, 6, 12)]
    soon = AT + timedelta(minutes=10)
    found = _CALENDARS[activated] = _Calendar(
        reviews=reviews,
        anniversaries=[(m, when) for m, when in months if when <= AT],
        next_anniversary=next((when for _, when in months if when > AT), None),
        next_feedback=following(activated, feedback_step(4), soon),
        next_review=following(activated, step, soon),
        next_giving=following(activated, GIVING_BACK_PERIOD, soon),
    )
    return found


def _pair_rows(rows: Rows, ids: Ids, n: int, people: dict[str, int]) -> None:
    status, due = status_of(n), due_kind(n)
    age = timedelta(days=30 + (n * 7919) % 400, hours=n % 24)
    activated = AT - age
    if due == "anniversary":  # six months together, three minutes from now
        activated = DUE_AT - relativedelta(months=6) - timedelta(minutes=2)
    zone = zone_of(mentor_of(n))
    cadence, rhythm = _rhythm(n, activated, zone)
    pid = ids.take("pair")
    p = _Pair(
        n, pid, people[mentor_of(n)], people[mentee_of(n)], status, activated, rhythm, cadence, due
    )
    charter_id = _charter(rows, ids, p, zone)
    series_id = ids.take("meeting_series")
    last_met, upcoming = _meetings(rows, ids, p, series_id)
    step = cadence_period(rhythm.rule)
    lapse_since = last_met or activated
    next_lapse: datetime | None = lapse_since + lapse.NUDGE_AFTER * step
    report_at = lapse_since + lapse.REPORT_AFTER * step
    if due == "lapse":  # quiet for exactly two steps, three minutes from now
        lapse_since = DUE_AT - lapse.NUDGE_AFTER * step - timedelta(minutes=2)
        next_lapse = lapse_since + lapse.NUDGE_AFTER * step
    elif next_lapse <= AT:
        # Already nudged (and reported, when that is past too): the scheduler looks again at
        # the report threshold, or never.
        next_lapse = report_at if report_at > AT else None
    rows.add(
        MeetingSeries,
        id=series_id,
        team_id=TEAM,
        pair_id=pid,
        charter_version_id=charter_id,
        uid=f"bench-{n}@tandem",
        rrule=rhythm.rule,
        local_start=rhythm.local_start.isoformat(),
        timezone=zone,
        duration_minutes=45,
        active=status != PairStatus.ENDED,
        sequence=0,
        lapse_since=lapse_since,
        next_lapse_at=next_lapse,
        created_at=activated,
    )
    ended = status == PairStatus.ENDED
    dates = _calendar(activated)
    next_feedback, next_review, next_giving = (
        dates.next_feedback,
        dates.next_review,
        dates.next_giving,
    )
    if due == "feedback":
        next_feedback = DUE_AT - timedelta(minutes=2)
    if due == "review":
        next_review = DUE_AT - timedelta(minutes=2)
    if due == "giving_back":
        next_giving = DUE_AT - timedelta(minutes=2)
    rows.add(
        Pair,
        id=pid,
        team_id=TEAM,
        mentor_id=p.mentor,
        mentee_id=p.mentee,
        proposed_by_id=p.mentor,
        status=status,
        stage="skill_building",
        mentor_accepted_at=activated - timedelta(hours=3),
        mentee_accepted_at=activated,
        activated_at=activated,
        paused_until=AT + timedelta(days=20 + n % 30) if status == PairStatus.PAUSED else None,
        ended_at=AT - timedelta(days=n % 20) if ended else None,
        end_kind="graduate" if ended else None,
        home_channel_id=home_of(n),
        reminder_offsets=[1440, 60],
        last_meeting_at=last_met,
        next_meeting_at=None if ended else upcoming,
        next_review_at=None if ended else next_review,
        next_feedback_prompt_at=None if ended else next_feedback,
        due_dates_set=not ended,
        next_schedule_at=None if ended else upcoming,
        next_anniversary_at=None if ended else dates.next_anniversary,
        streak_check_at=None,
        next_giving_back_at=None if ended else next_giving,
        next_drift_check_at=None if ended else drift_check_of(n),
        created_at=activated - timedelta(days=1),
        updated_at=AT - timedelta(days=1),
    )
    rows.add(
        GivingBack,
        pair_id=pid,
        team_id=TEAM,
        next_check_at=next_giving,
        last_digest_at=next_giving - GIVING_BACK_PERIOD,
        last_invite_at=None,
    )
    _goals(rows, ids, p)
    _reflection(rows, ids, p)
    if n % 5 == 0:
        rows.add(
            AgendaItem,
            id=ids.take("agenda_item"),
            team_id=TEAM,
            pair_id=pid,
            author_id=p.mentee,
            text="How do I push back on scope creep?",
            created_at=AT - timedelta(days=2),
        )
    welcome = ids.take("outbox")
    rows.add(
        OutboxMessage,
        id=welcome,
        team_id=TEAM,
        key=f"pair.welcome:{pid}",
        kind="pair.welcome",
        pair_id=pid,
        channel=home_of(n),
        audience=[mentor_of(n), mentee_of(n)],
        exempt_from_cap=False,
        text="Welcome to your mentorship!",
        status="sent",
        deliver_after=activated,
        attempts=1,
        sent_at=activated,
        sent_channel=home_of(n),
        sent_ts=f"{activated.timestamp():.6f}",
        created_at=activated,
    )


@dataclass(frozen=True)
class Seeded:
    """What was written, for the benchmark's summary."""

    pairs: int
    rows: int
    seconds: float


def _chunks(pairs: int) -> Iterator[range]:
    for start in range(0, pairs, CHUNK):
        yield range(start, min(start + CHUNK, pairs))


def _advance_sequences(engine: Engine, ids: Ids) -> None:
    """PostgreSQL: ids were given explicitly, so move each table's sequence past them."""
    if not is_postgres(engine):
        return
    with engine.begin() as connection:
        for table, next_id in ids.next.items():
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), :last)"),
                {"last": next_id - 1},
            )


def _analyze(engine: Engine) -> None:
    """PostgreSQL: gather the planner's statistics now, as autovacuum would soon after a bulk
    load in a live database; otherwise the first measurements race autovacuum's own ANALYZE
    of the fresh tables (an idle tick at 100k measured 122 ms then, 17-25 ms after it).
    SQLite is left as the app leaves it in production: Tandem never runs ANALYZE there."""
    if not is_postgres(engine):
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))


class _Writer:
    """Writes batches of rows on its own thread while the next batch is generated: the
    drivers let go of the GIL while the database works, so generating and writing overlap."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.queue: queue.Queue[Rows | None] = queue.Queue(maxsize=1)
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="seed-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (rows := self.queue.get()) is not None:
            if self.failure is None:
                try:
                    _write(self.engine, rows)
                except BaseException as error:  # re-raised on the generating thread
                    self.failure = error

    def put(self, rows: Rows) -> None:
        self._check()
        self.queue.put(rows)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self._check()

    def _check(self) -> None:
        if self.failure is not None:
            raise self.failure


def seed(engine: Engine, pairs: int) -> Seeded:
    """Write a programme of `pairs` pairs into a migrated, empty database."""
    started = time.perf_counter()
    with engine.connect() as connection:
        if connection.execute(select(func.count()).select_from(Pair.__table__)).scalar_one():
            raise SystemExit("That database already holds pairs: seed an empty one.")
    ids, total = Ids(), 0
    rows = Rows()
    rows.add(
        Workspace,
        team_id=TEAM,
        name="Bench Corp",
        review_interval_months=REVIEW_MONTHS,
        quiet_hours_start="20:00",
        quiet_hours_end="08:00",
        default_cadence="biweekly",
        daily_dm_limit=3,
        created_at=AT - timedelta(days=500),
        updated_at=AT - timedelta(days=500),
    )
    people: dict[str, int] = {}
    _people(rows, ids, people_of(pairs), people)
    # Millions of short-lived rows, none of them cyclic: the collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    writer = _Writer(engine)
    try:
        for chunk in _chunks(pairs):
            for n in chunk:
                _pair_rows(rows, ids, n, people)
            total += rows.count()
            writer.put(rows)
            rows = Rows()
    finally:
        writer.close()
        if collecting:
            gc.enable()
    _advance_sequences(engine, ids)
    _analyze(engine)
    return Seeded(pairs, total, time.perf_counter() - started)


def _bulk_engine(url: str) -> Engine:
    """Tandem's engine, its seeding connections told to skip what only guards live data: the
    foreign-key checks (the ids are assigned here), and on SQLite the journal and fsyncs (a
    benchmark's programme is disposable: a failed seed is run again on a fresh file, and on a
    shared machine fsyncs would make seeding time measure the disk). Indexes are untouched."""
    engine = create_db_engine(url)

    @event.listens_for(engine, "connect")
    def _bulk(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        if is_postgres(engine):
            try:  # triggers, hence foreign-key checks, off for this session (superusers only)
                cursor.execute("SET session_replication_role = replica")
                dbapi_connection.commit()
            except Exception:  # noqa: BLE001 - not allowed: seed with the checks on
                dbapi_connection.rollback()
        else:
            for pragma in ("journal_mode=OFF", "foreign_keys=OFF", "synchronous=OFF"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB for the indexes being built
        cursor.close()

    return engine


def seed_url(url: str, pairs: int, migrate: bool = True) -> Seeded:
    """Migrate (when asked) and seed the database at `url`."""
    if migrate:
        _with_engine(create_db_engine(url), upgrade)
    seeded = _with_engine(_bulk_engine(url), lambda engine: seed(engine, pairs))
    # A connection of Tandem's own puts SQLite's file back in WAL mode.
    _with_engine(create_db_engine(url), lambda engine: engine.connect().close())
    return seeded


def _with_engine(engine: Engine, use: Callable[[Engine], T]) -> T:
    try:
        return use(engine)
    finally:
        engine.dispose()


def main(argv: list[str]) -> None:
    """The `seed` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench seed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--pairs", type=int, required=True, help="how many pairs")
    parser.add_argument("--database-url", required=True, help="e.g. sqlite:///bench.db")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        print("--pairs must be at least 1", file=sys.stderr)
        raise SystemExit(2)
    seeded = seed_url(args.database_url, args.pairs)
    print(
        f"seeded {seeded.pairs} pairs ({seeded.rows} rows) in {seeded.seconds:.1f} s\n"
        f"Reproduce: .venv/bin/python -m bench seed --pairs {args.pairs} "
        f"--database-url {args.database_url}"
    )
