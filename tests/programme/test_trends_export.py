"""Trends in `tandem export`: six months of figures per pair as columns, and `--trends` with one
row per cohort and month, both run as the CLI against a programme whose numbers the test
computes itself; the cohort rows draw the same sparklines Slack shows."""

import csv
import random
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.admin.export import COLUMNS, export_rows, trend_rows
from bot.core.people import ensure_workspace
from bot.programme.service.imports import new_cohort
from bot.programme.trend_rules import sparkline
from storage.models import (
    Goal,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Pair,
    PairStatus,
    Person,
    Review,
    ReviewAnswer,
)
from storage.queries.programme import cohort_named
from tests.programme.helpers import ephemeral_reply, text_of
from tests.support.harness import ADMIN, Harness
from tests.support.statements import statements_on

ROOT = Path(__file__).resolve().parents[2]
MONTHS = ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
OTHER_TEAM = "T0OTHER"
SECRET = "PRIVATE REVIEW NOTE"


@dataclass
class Seeded:
    """What the test put in for one pair: the input of its own computation."""

    team_id: str
    cohort: str  # "" for no cohort
    pair_id: int = 0
    meetings: list[tuple[datetime, str]] = field(default_factory=list)
    goals_done: list[datetime] = field(default_factory=list)
    scores: list[tuple[datetime, int]] = field(default_factory=list)


def at(month: str, day: int) -> datetime:
    year, number = month.split("-")
    return datetime(int(year), int(number), day, 12, tzinfo=UTC)


def _person(session, team_id: str, user_id: str, now: datetime) -> Person:  # type: ignore[no-untyped-def]
    row = Person(team_id=team_id, user_id=user_id, display_name=user_id.lower(), refreshed_at=now)
    session.add(row)
    session.flush()
    return row


def make_cohorts(session, team_id: str) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    """Cohorts Autumn and Winter in `team_id`, Autumn in OTHER_TEAM: (team, name) → id."""
    ensure_workspace(session, team_id)
    ensure_workspace(session, OTHER_TEAM)
    cohorts = {}
    for team, name in ((team_id, "Autumn"), (team_id, "Winter"), (OTHER_TEAM, "Autumn")):
        cohort = cohort_named(session, team, name) or new_cohort(
            team, name, at("2025-09", 1).date(), at("2026-06", 1).date()
        )
        session.add(cohort)
        session.flush()
        cohorts[team, name] = cohort.id
    return cohorts


def seed(tandem: Harness, now: datetime, pairs: int = 7, salt: int = 11) -> list[Seeded]:
    """Pairs in two cohorts, in none, and one in another workspace, with random evidence."""
    rng = random.Random(salt)
    seeded: list[Seeded] = []
    with tandem.session() as session:
        cohorts = make_cohorts(session, tandem.team_id)
        homes = [(tandem.team_id, "Autumn"), (tandem.team_id, "Winter"), (tandem.team_id, "")]
        for n in range(pairs):
            team, name = homes[n % 3] if n < pairs - 1 else (OTHER_TEAM, "Autumn")
            mentor = _person(session, team, f"UTM{salt:02d}{n:02d}", now)
            mentee = _person(session, team, f"UTE{salt:02d}{n:02d}", now)
            pair = Pair(
                team_id=team,
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                proposed_by_id=mentor.id,
                status=PairStatus.ACTIVE,
                cohort_id=cohorts.get((team, name)),
                created_at=at("2025-08", 1),
                activated_at=at("2025-08", 1),
            )
            session.add(pair)
            session.flush()
            facts = Seeded(team, name, pair.id)
            # A month before the window and a meeting still to come count nowhere.
            days = [(at("2025-09", 20), MeetingStatus.MET), (now + timedelta(days=3), "scheduled")]
            for month in MONTHS:
                for _ in range(rng.randint(0, 3)):
                    status = rng.choice(["met", "met", "skipped", "scheduled", "cancelled"])
                    days.append(
                        (at(month, rng.randint(1, 2 if month == "2026-03" else 28)), status)
                    )
            for when, status in days:
                facts.meetings.append((when, status))
                session.add(Meeting(team_id=team, pair_id=pair.id, starts_at=when, status=status))
            for month in rng.sample(MONTHS, rng.randint(0, 3)):
                when = at(month, 1)
                facts.goals_done.append(when)
                session.add(
                    Goal(
                        team_id=team,
                        pair_id=pair.id,
                        owner_id=mentee.id,
                        created_by_id=mentee.id,
                        title="A goal",
                        status=GoalStatus.COMPLETED,
                        percent=100,
                        completed_at=when,
                    )
                )
            for number, month in enumerate(sorted(rng.sample(MONTHS[:-1], rng.randint(0, 2)))):
                review = Review(
                    team_id=team, pair_id=pair.id, round=number + 1, opened_at=at(month, 10)
                )
                session.add(review)
                session.flush()
                for member in (mentor, mentee)[: rng.randint(1, 2)]:
                    score = rng.randint(1, 5)
                    facts.scores.append((at(month, 15), score))
                    session.add(
                        ReviewAnswer(
                            team_id=team,
                            review_id=review.id,
                            person_id=member.id,
                            value_score=score,
                            time_commitment="right",
                            goals_still_right="yes",
                            decision="continue",
                            note=SECRET,
                            answered_at=at(month, 15),
                        )
                    )
            seeded.append(facts)
    return seeded


# -- the test's own arithmetic ------------------------------------------------------------


def expected_month(pair: Seeded, month: str, now: datetime) -> dict | None:
    """One pair's month by the documented rules, or None when it holds no evidence."""
    in_month = [s for when, s in pair.meetings if when.strftime("%Y-%m") == month and when <= now]
    due = sum(1 for s in in_month if s != "cancelled")
    met = sum(1 for s in in_month if s == "met")
    goals = sum(1 for when in pair.goals_done if when.strftime("%Y-%m") == month)
    scores = [s for when, s in pair.scores if when.strftime("%Y-%m") == month]
    if not (due or goals or scores):
        return None
    parts = []
    if due:
        parts.append((40, met / due))
    if scores:
        parts.append((25, sum((s - 1) / 4 for s in scores) / len(scores)))
    health = round(100 * sum(w * v for w, v in parts) / sum(w for w, _ in parts)) if parts else None
    return {"due": due, "met": met, "goals": goals, "health": health}


def expected_cohort_rows(seeded: list[Seeded], now: datetime) -> list[dict[str, str]]:
    rows = []
    for team, cohort in sorted(
        {(p.team_id, p.cohort) for p in seeded}, key=lambda k: (k[0], k[1] == "", k[1])
    ):
        members = [p for p in seeded if (p.team_id, p.cohort) == (team, cohort)]
        for month in MONTHS:
            found = [m for p in members if (m := expected_month(p, month, now))]
            due = sum(m["due"] for m in found)
            met = sum(m["met"] for m in found)
            scores = [m["health"] for m in found if m["health"] is not None]
            rows.append(
                {
                    "team_id": team,
                    "cohort": cohort,
                    "month": month,
                    "pairs": str(len(found)),
                    "meetings_due": str(due),
                    "meetings_met": str(met),
                    "meeting_rate": f"{met / due:.4f}" if due else "",
                    "goals_completed": str(sum(m["goals"] for m in found)),
                    "average_health": f"{sum(scores) / len(scores):.1f}" if scores else "",
                }
            )
    return rows


def run_cli(tandem: Harness, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`tandem <args>` as a separate process on the test's database."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={
            "DATABASE_URL": tandem.ctx.settings.database_url,
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=90,
        cwd=cwd,
    )


def run_export(tandem: Harness, tmp_path: Path, *options: str) -> list[dict[str, str]]:
    target = tmp_path / "export.csv"
    result = run_cli(tandem, tmp_path, "export", "--now", NOW_TEXT, "-o", str(target), *options)
    assert result.returncode == 0, result.stderr
    assert SECRET not in target.read_text()
    return list(csv.DictReader(target.open(encoding="utf-8")))


NOW_TEXT = "2026-03-02T14:00:00Z"  # the harness's pinned clock


def test_the_per_pair_export_carries_six_months_of_figures(tandem: Harness, tmp_path: Path) -> None:
    now = tandem.clock.now()
    assert now == datetime.fromisoformat(NOW_TEXT)
    seeded = seed(tandem, now)
    rows = run_export(tandem, tmp_path)
    header = list(rows[0])
    monthly = [
        f"{kind}_{m}" for m in MONTHS for kind in ("meeting_rate", "goals_completed", "health")
    ]
    assert header == [*COLUMNS, *monthly]  # the old columns first, in their order
    by_pair = {int(row["pair_id"]): row for row in rows}
    assert set(by_pair) == {p.pair_id for p in seeded}  # every workspace's pairs
    checked = 0
    for pair in seeded:
        row = by_pair[pair.pair_id]
        assert row["team_id"] == pair.team_id and row["cohort"] == pair.cohort
        for month in MONTHS:
            found = expected_month(pair, month, now)
            shown = (
                row[f"meeting_rate_{month}"],
                row[f"goals_completed_{month}"],
                row[f"health_{month}"],
            )
            if found is None:
                assert shown == ("", "", ""), (pair, month)
                continue
            checked += 1
            rate = f"{found['met'] / found['due']:.4f}" if found["due"] else ""
            health = "" if found["health"] is None else str(found["health"])
            assert shown == (rate, str(found["goals"]), health), (pair, month)
    assert checked >= 10  # the seed gave the comparison something to bite on


def test_the_trends_export_is_one_row_per_cohort_and_month(tandem: Harness, tmp_path: Path) -> None:
    now = tandem.clock.now()
    seeded = seed(tandem, now)
    rows = run_export(tandem, tmp_path, "--trends")
    assert rows == expected_cohort_rows(seeded, now)
    only_ours = run_export(tandem, tmp_path, "--trends", "--team", OTHER_TEAM)
    assert {row["team_id"] for row in only_ours} == {OTHER_TEAM} and len(only_ours) == 6


def test_the_trends_export_draws_the_sparklines_slack_shows(
    tandem: Harness, tmp_path: Path
) -> None:
    now = tandem.clock.now()
    seed(tandem, now)
    rows = [r for r in run_export(tandem, tmp_path, "--trends") if r["team_id"] == tandem.team_id]
    shown = text_of(ephemeral_reply(tandem, ADMIN, "admin cohorts"))
    for cohort in ("Autumn", "Winter", ""):
        months = [r for r in rows if r["cohort"] == cohort]
        assert [r["month"] for r in months] == MONTHS

        def numbers(column: str) -> list[float | None]:
            return [float(r[column]) if r[column] else None for r in months]  # noqa: B023

        goals = [int(r["goals_completed"]) for r in months]
        lines = [
            f"`{sparkline(numbers('meeting_rate'))}` meeting rate",
            f"`{sparkline(goals, high=max(goals) or 1)}` goals completed",
            f"`{sparkline(numbers('average_health'), high=100)}` average health",
        ]
        title = f"*{cohort}*" if cohort else "*Pairs in no cohort*"
        part = shown[shown.index(title) :].split("Programme feedback")[0]
        for line in lines:
            assert line in part, (cohort, line, part)


def test_both_exports_cost_the_same_statements_for_few_or_many_pairs(tandem: Harness) -> None:
    now = tandem.clock.now()
    costs = []
    for pairs, salt in ((4, 1), (16, 2)):
        seed(tandem, now, pairs=pairs, salt=salt)
        with tandem.session() as session, statements_on(tandem.ctx.engine) as seen:
            assert len(list(export_rows(session, None, now))) > 0
            assert len(list(trend_rows(session, None, now))) > 0
        costs.append(len(seen))
    assert costs[1] <= costs[0], costs
