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
- every `next_*_at` the scheduler keeps already in the future, as if it had been running:
  nothing is due at `AT` (an idle tick), and at `DUE_AT` one active pair in a hundred has one
  thing due (a reminder, a follow-up, a feedback prompt, a review, giving back, a lapse or an
  anniversary, in turn).

Rows are generated for a few thousand pairs at a time and written with one multi-row INSERT
per table (executemany), ids assigned here, so 100,000 pairs take a couple of minutes on SQLite.
The database must be migrated (`tandem db upgrade`) and hold no pairs yet.
"""

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, Engine, event, func, select, text

from bot.meetings import lapse
from bot.meetings.recurrence import (
    Rhythm,
    cadence_period,
    cadence_rule,
    first_day,
    nth_weekday_of_month,
    to_instant,
)
from bot.reflection.rhythm import GIVING_BACK_PERIOD, feedback_step, following
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


def _defaults(model: type) -> list[tuple[str, Any]]:
    """(column, default) of every column of `model`'s table (None when there is none)."""
    found = []
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        default = column.default
        value = default.arg if default is not None and not callable(default.arg) else None
        found.append((column.name, value))
    return found


@dataclass
class Rows:
    """Rows waiting to be written, by model; each row a tuple in table column order."""

    by_model: dict[type, list[tuple[Any, ...]]] = field(default_factory=dict)
    _columns: dict[type, list[tuple[str, Any]]] = field(default_factory=dict)

    def add(self, model: type, **values: Any) -> None:
        """Queue one row; columns not given take their default."""
        columns = self._columns.get(model)
        if columns is None:
            columns = self._columns[model] = _defaults(model)
        self.by_model.setdefault(model, []).append(
            tuple(values.get(name, default) for name, default in columns)
        )

    def count(self) -> int:
        return sum(len(rows) for rows in self.by_model.values())


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


def _insert_many(connection: Connection, model: type, rows: list[tuple[Any, ...]]) -> None:
    """One executemany straight on the driver, values converted by each column's own type
    (what SQLAlchemy would do, without its per-row bookkeeping)."""
    table = model.__table__  # type: ignore[attr-defined]
    dialect = connection.dialect
    columns = list(table.columns)
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    names = ", ".join(f'"{column.name}"' for column in columns)
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    converted = [
        tuple(v if p is None or v is None else p(v) for v, p in zip(row, processors, strict=True))
        for row in rows
    ]
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', converted)
    finally:
        cursor.close()


def _write(engine: Engine, rows: Rows) -> None:
    with engine.begin() as connection:
        for model in ORDER:
            batch = rows.by_model.get(model)
            if batch:
                _insert_many(connection, model, batch)


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
    cadence = CADENCES[n % len(CADENCES)]
    weekday = n % 5
    hour, minute = (int(x) for x in TIMES[n % len(TIMES)].split(":"))
    first = activated.astimezone(timezone_of(zone)).date() + timedelta(days=1)
    first += timedelta(days=(weekday - first.weekday()) % 7)
    local = datetime(first.year, first.month, first.day, hour, minute)
    return cadence, Rhythm(cadence_rule(cadence, weekday, first), local, zone)


def timezone_of(name: str):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _occurrences(rhythm: Rhythm) -> Iterator[datetime]:
    """The series' instants in order, by calendar arithmetic (what its RRULE expands to, at a
    fraction of dateutil's cost: the seeder needs millions)."""
    zone, start = timezone_of(rhythm.timezone), rhythm.local_start
    if "MONTHLY" in rhythm.rule:
        nth = nth_weekday_of_month(start.date())
        month = date(start.year, start.month, 1)
        while True:
            day = first_day(start.weekday(), month)
            if nth == -1:
                last = month + relativedelta(months=1) - timedelta(days=7)
                day = first_day(start.weekday(), last)
            else:
                day += timedelta(weeks=nth - 1)
            if day >= start.date():
                yield to_instant(datetime.combine(day, start.time()), zone)
            month += relativedelta(months=1)
    step = timedelta(weeks=2 if "INTERVAL=2" in rhythm.rule else 1)
    wall = start
    while True:
        yield to_instant(wall, zone)
        wall += step


def _between(rhythm: Rhythm, since: datetime, until: datetime) -> list[datetime]:
    found = []
    for at in _occurrences(rhythm):
        if at >= until:
            return found
        if at > since:
            found.append(at)


def _first_after(rhythm: Rhythm, after: datetime) -> datetime:
    return next(at for at in _occurrences(rhythm) if at > after)


def _meetings(
    rows: Rows, ids: Ids, p: _Pair, series_id: int
) -> tuple[datetime | None, datetime | None]:
    """Past meetings (the last ten weeks of the rhythm) and, unless the pair ended, the next
    one scheduled with its reminders armed; returns (last met, next meeting's start)."""
    history_from = max(p.activated, AT - timedelta(weeks=10))
    last_met = None
    run: list[datetime] = []
    for k, at in enumerate(_between(p.rhythm, history_from, AT - timedelta(hours=2))):
        quiet = p.n % 4 == 1 and at > AT - timedelta(weeks=6)  # a pair gone quiet
        skipped = not quiet and (p.n + k) % 9 == 4
        status = MeetingStatus.SKIPPED if skipped else MeetingStatus.MET
        if quiet:
            status = MeetingStatus.SKIPPED if k % 2 else MeetingStatus.MET
            if status == MeetingStatus.MET:
                continue  # never logged: no row (the series made none while nobody looked)
        met = status == MeetingStatus.MET
        rows.add(
            Meeting,
            id=ids.take("meeting"),
            team_id=TEAM,
            pair_id=p.id,
            series_id=series_id,
            occurrence_at=at,
            starts_at=at,
            duration_minutes=45,
            status=status,
            revision=0,
            next_nudge_at=None,
            discussed="Roadmap and the next design review." if met else "",
            lesson="Write the decision down before the meeting." if met else "",
            next_actions="Draft the RFC; ask for two reviewers." if met else "",
            focus_areas=FOCUS[k % 4 : k % 4 + 1] if met else [],
            logged_by_id=p.mentee if met else None,
            logged_at=at + timedelta(hours=1) if met else None,
            created_at=at - timedelta(days=7),
        )
        if met:
            last_met = at
            run.append(at)
        else:
            run = []
    if len(run) >= 5:
        streak = max(s for s in (5, 10, 20, 50) if len(run) >= s)
        rows.add(
            Celebration,
            id=ids.take("celebration"),
            team_id=TEAM,
            pair_id=p.id,
            kind="streak",
            subject_key=f"streak-{streak}@{run[0]:%Y%m%dT%H%M}",
            share_status="not_asked",
            share_attempts=0,
            created_at=run[streak - 1] + timedelta(hours=2),
        )
    if p.status == PairStatus.ENDED:
        return last_met, None
    upcoming = _first_after(p.rhythm, AT + timedelta(hours=2))
    nudge = min(t for t in (upcoming - timedelta(days=1), upcoming - timedelta(hours=1)) if t > AT)
    if p.due == "reminder":
        upcoming = DUE_AT + timedelta(minutes=59)  # moved to just after lunch: 1-hour reminder due
        nudge = upcoming - timedelta(hours=1)
    if p.due == "followup":
        started = DUE_AT - timedelta(minutes=46)
        rows.add(
            Meeting,
            id=ids.take("meeting"),
            team_id=TEAM,
            pair_id=p.id,
            series_id=series_id,
            occurrence_at=started,
            starts_at=started,
            duration_minutes=45,
            status=MeetingStatus.SCHEDULED,
            revision=0,
            next_nudge_at=started + timedelta(minutes=45),
            discussed="",
            lesson="",
            next_actions="",
            focus_areas=[],
            created_at=started - timedelta(days=7),
        )
    rows.add(
        Meeting,
        id=ids.take("meeting"),
        team_id=TEAM,
        pair_id=p.id,
        series_id=series_id,
        occurrence_at=upcoming,
        starts_at=upcoming,
        duration_minutes=45,
        status=MeetingStatus.SCHEDULED,
        revision=0,
        next_nudge_at=nudge,
        discussed="",
        lesson="",
        next_actions="",
        focus_areas=[],
        created_at=AT - timedelta(days=3),
    )
    return last_met, upcoming


def _charter(rows: Rows, ids: Ids, p: _Pair, zone: str) -> None:
    versions = 2 if p.n % 4 == 0 else 1
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
                rows.add(
                    Celebration,
                    id=ids.take("celebration"),
                    team_id=TEAM,
                    pair_id=p.id,
                    kind="milestone",
                    subject_key=str(ids.next["milestone"] - 1),
                    share_status="declined",
                    share_attempts=0,
                    created_at=AT + timedelta(days=days - 1),
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
    step = relativedelta(months=REVIEW_MONTHS)
    round_no, opened = 0, p.activated + step
    while opened <= AT:
        round_no += 1
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
        opened += step
    for reached in (3, 6, 12):
        if p.activated + relativedelta(months=reached) <= AT:
            rows.add(
                Celebration,
                id=ids.take("celebration"),
                team_id=TEAM,
                pair_id=p.id,
                kind="anniversary",
                subject_key=f"{reached}m",
                share_status="not_asked",
                share_attempts=0,
                created_at=p.activated + relativedelta(months=reached),
            )


def _next_anniversary(activated: datetime, due: str | None) -> datetime | None:
    """The first anniversary not yet celebrated at AT (the one due at DUE_AT for the 1%)."""
    for months in (3, 6, 12):
        when = activated + relativedelta(months=months)
        if when > AT:
            return when
    return None


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
    _charter(rows, ids, p, zone)
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
        charter_version_id=None,
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
    feedback_every = feedback_step(4)
    next_feedback = following(activated, feedback_every, AT + timedelta(minutes=10))
    next_review = following(
        activated, relativedelta(months=REVIEW_MONTHS), AT + timedelta(minutes=10)
    )
    next_giving = following(activated, GIVING_BACK_PERIOD, AT + timedelta(minutes=10))
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
        next_anniversary_at=None if ended else _next_anniversary(activated, due),
        streak_check_at=None,
        next_giving_back_at=None if ended else next_giving,
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
    for chunk in _chunks(pairs):
        for n in chunk:
            _pair_rows(rows, ids, n, people)
        total += rows.count()
        _write(engine, rows)
        rows = Rows()
    _advance_sequences(engine, ids)
    return Seeded(pairs, total, time.perf_counter() - started)


def _bulk_engine(url: str) -> Engine:
    """Tandem's engine, with SQLite told not to wait for the disk: a benchmark's programme is
    disposable, and fsyncs on a shared machine would make seeding time measure the disk."""
    engine = create_db_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _fast(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.close()

    return engine


def seed_url(url: str, pairs: int, migrate: bool = True) -> Seeded:
    """Migrate (when asked) and seed the database at `url`."""
    engine = _bulk_engine(url)
    try:
        if migrate:
            upgrade(engine)
        return seed(engine, pairs)
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
