"""A busy programme built straight in the database: people across timezones, active pairs with
charters (weekly, biweekly, monthly), meeting series, past meetings, goals and milestones.

Rows are inserted as models (the way tests/support/factories.py does) and each pair's series
comes from `sync_series_from_charter`, as a charter save would make it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.context import Tandem
from bot.core.people import ensure_workspace
from bot.meetings.series import sync_series_from_charter
from devkit.emulator import SlackEmulator
from storage.models import (
    AgendaItem,
    CharterAck,
    CharterVersion,
    Goal,
    Meeting,
    MeetingStatus,
    Milestone,
    Pair,
    PairStatus,
    Person,
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


@dataclass(frozen=True)
class Seeded:
    """What was built, for the benchmark's table."""

    pairs: int
    people: int
    goals: int
    met_meetings: int


def add_people(
    slack: SlackEmulator, ctx: Tandem, team_id: str, user_ids: list[str], now: datetime
) -> dict[str, int]:
    """Workspace members in the emulator and Person rows (timezones spread); user id → person id."""
    ids: dict[str, int] = {}
    with ctx.session() as session:
        ensure_workspace(session, team_id)
        rows = []
        for n, user_id in enumerate(user_ids):
            zone = ZONES[n % len(ZONES)]
            slack.add_user(user_id, f"person{n}", tz=zone, real_name=f"Person {n}")
            row = Person(
                team_id=team_id,
                user_id=user_id,
                display_name=f"person{n}",
                real_name=f"Person {n}",
                tz=zone,
                refreshed_at=now,
                created_at=now,
            )
            session.add(row)
            rows.append(row)
        session.flush()
        ids = {row.user_id: row.id or 0 for row in rows}
    return ids


def _charter(team_id: str, pair: Pair, n: int, zone: str, now: datetime) -> CharterVersion:
    return CharterVersion(
        team_id=team_id,
        pair_id=pair.id,
        version=1,
        author_id=pair.mentor_id,
        created_at=now,
        mentor_objectives="Help them grow into a tech lead.",
        mentee_objectives="Lead a project end to end.",
        success_looks_like="They run the launch with confidence.",
        cadence=CADENCES[n % len(CADENCES)],
        weekday=n % 5,
        meeting_time=TIMES[n % len(TIMES)],
        timezone=zone,
        focus_areas=FOCUS[: 1 + n % len(FOCUS)],
    )


def _met_days_ago(n: int) -> list[int]:
    """Past meetings: every third pair met five times in a row (a streak), every fourth once
    six weeks ago (quiet since: a lapse)."""
    if n % 3 == 0:
        return [7 * k + 2 for k in range(5, 0, -1)]
    if n % 4 == 1:
        return [42]
    return []


def _history(team_id: str, pair: Pair, n: int, now: datetime) -> list[Meeting]:
    starts = [now - timedelta(days=days) for days in _met_days_ago(n)]
    return [
        Meeting(
            team_id=team_id,
            pair_id=pair.id or 0,
            starts_at=at,
            status=MeetingStatus.MET,
            discussed="Roadmap and the next design review.",
            next_actions="Draft the RFC; ask for two reviewers.",
            focus_areas=FOCUS[:2],
            logged_by_id=pair.mentee_id,
            logged_at=at + timedelta(hours=1),
            created_at=at,
        )
        for at in starts
    ]


def _goal(session, team_id: str, pair: Pair, now: datetime) -> None:  # type: ignore[no-untyped-def]
    goal = Goal(
        team_id=team_id,
        pair_id=pair.id or 0,
        owner_id=pair.mentee_id,
        created_by_id=pair.mentee_id,
        title="Run a design review",
        why="To lead the Q3 launch.",
        percent=30,
        created_at=now - timedelta(days=30),
        updated_at=now - timedelta(days=5),
    )
    session.add(goal)
    session.flush()
    for position, (title, due, done) in enumerate(
        (
            ("Read the RFC guide", now - timedelta(days=20), True),
            ("Draft an RFC", now - timedelta(days=3), False),
            ("Present it", now + timedelta(days=20), False),
        )
    ):
        session.add(
            Milestone(
                team_id=team_id,
                goal_id=goal.id or 0,
                position=position,
                title=title,
                due_date=due.date(),
                done_at=due if done else None,
                done_by_id=pair.mentee_id if done else None,
            )
        )


def add_pair(
    ctx: Tandem,
    team_id: str,
    mentor_user: str,
    mentee_user: str,
    people: dict[str, int],
    n: int,
    now: datetime,
) -> int:
    """One active pair (activated 80–100 days ago) with charter v1 acknowledged by both, its
    group DM, meeting series, some past meetings, maybe a goal; returns the pair id."""
    client = ctx.client(team_id)
    home = client.conversations_open(users=f"{mentor_user},{mentee_user}")["channel"]["id"]
    zone = ZONES[n % len(ZONES)]
    with ctx.session() as session:
        activated = now - timedelta(days=80 + n % 21, hours=n % 24)
        pair = Pair(
            team_id=team_id,
            mentor_id=people[mentor_user],
            mentee_id=people[mentee_user],
            proposed_by_id=people[mentor_user],
            status=PairStatus.ACTIVE,
            mentor_accepted_at=activated,
            mentee_accepted_at=activated,
            activated_at=activated,
            home_channel_id=home,
            created_at=activated,
            updated_at=activated,
        )
        session.add(pair)
        session.flush()
        history = _history(team_id, pair, n, now)
        session.add_all(history)
        if history:
            pair.last_meeting_at = history[-1].starts_at
        charter = _charter(team_id, pair, n, zone, activated)
        session.add(charter)
        session.flush()
        for person_id in (pair.mentor_id, pair.mentee_id):
            session.add(
                CharterAck(
                    team_id=team_id,
                    charter_version_id=charter.id or 0,
                    person_id=person_id,
                    acked_at=activated,
                )
            )
        if n % 2 == 0:
            _goal(session, team_id, pair, now)
        if n % 5 == 0:
            session.add(
                AgendaItem(
                    team_id=team_id,
                    pair_id=pair.id or 0,
                    author_id=pair.mentee_id,
                    text="How do I push back on scope creep?",
                    created_at=now,
                )
            )
        sync_series_from_charter(ctx, session, pair, charter, now)
        return pair.id or 0


def seed_programme(
    ctx: Tandem, slack: SlackEmulator, team_id: str, pairs: int, now: datetime
) -> Seeded:
    """`pairs` active pairs: mentors have two mentees each, everyone's zone is spread."""
    mentors = [f"UM{n:05d}" for n in range((pairs + 1) // 2)]
    mentees = [f"UE{n:05d}" for n in range(pairs)]
    people = add_people(slack, ctx, team_id, mentors + mentees, now)
    for n in range(pairs):
        add_pair(ctx, team_id, mentors[n // 2], mentees[n], people, n, now)
    met = sum(len(_met_days_ago(n)) for n in range(pairs))
    return Seeded(pairs, len(people), (pairs + 1) // 2, met)
