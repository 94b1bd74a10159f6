"""Programme trends per month: the last six months as numbers and as text sparklines.

Per month and cohort: the meeting rate (meetings marked met ÷ meetings that fell due that
month), goals completed, and average health. A month's health is each pair's health score
computed from that month's evidence only (its meetings and the reviews answered in it, the
rules of bot.reflection.health_rules), averaged over the pairs with any evidence that month.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.reflection.service.health import HealthInputs, score_health

MONTHS = 6
SPARKS = "▁▂▃▄▅▆▇█"
NO_DATA = "·"


def last_months(now: datetime, count: int = MONTHS) -> list[str]:
    """The `count` months up to and including `now`'s (UTC), oldest first, as "YYYY-MM"."""
    year, month = now.year, now.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_start(key: str) -> date:
    """The first day of the month "YYYY-MM"."""
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def sparkline(values: Sequence[float | None], low: float = 0.0, high: float = 1.0) -> str:
    """One character per value between `low` and `high`; `·` where there is no value."""
    marks = []
    for value in values:
        if value is None:
            marks.append(NO_DATA)
            continue
        share = 0.0 if high <= low else (min(max(value, low), high) - low) / (high - low)
        marks.append(SPARKS[min(len(SPARKS) - 1, int(share * len(SPARKS)))])
    return "".join(marks)


@dataclass(frozen=True)
class PairMonth:
    """One pair's evidence in one month (a row of the SQL aggregates)."""

    pair_id: int
    cohort: str | None
    month: str
    meetings_due: int = 0
    meetings_met: int = 0
    goals_completed: int = 0
    review_scores: tuple[int, ...] = ()
    team_id: str = ""

    @property
    def meeting_rate(self) -> float | None:
        """Meetings met ÷ meetings due that month (None: none fell due)."""
        if not self.meetings_due:
            return None
        return min(self.meetings_met, self.meetings_due) / self.meetings_due


@dataclass
class CohortTrend:
    """Six months of one cohort (None where a month has nothing to measure).

    `pairs` counts the pairs with any evidence that month (a meeting due, a goal completed or
    a review answered); `meetings_met` counts at most the meetings due, pair by pair.
    """

    cohort: str | None
    months: list[str]
    meeting_rate: list[float | None] = field(default_factory=list)
    goals_completed: list[int] = field(default_factory=list)
    average_health: list[float | None] = field(default_factory=list)
    pairs: list[int] = field(default_factory=list)
    meetings_due: list[int] = field(default_factory=list)
    meetings_met: list[int] = field(default_factory=list)


def month_health(row: PairMonth) -> int | None:
    """The pair's health from one month's evidence (None: nothing to judge that month)."""
    return score_health(
        HealthInputs(
            meetings_expected=row.meetings_due,
            meetings_kept=row.meetings_met,
            review_scores=row.review_scores,
        )
    ).score


def cohort_trends(rows: Iterable[PairMonth], months: list[str]) -> list[CohortTrend]:
    """Trends per cohort (pairs without a cohort under None), cohorts by name."""
    due: dict[tuple[str | None, str], int] = defaultdict(int)
    met: dict[tuple[str | None, str], int] = defaultdict(int)
    goals: dict[tuple[str | None, str], int] = defaultdict(int)
    health: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    pairs: dict[tuple[str | None, str], int] = defaultdict(int)
    cohorts: set[str | None] = set()
    for row in rows:
        if row.month not in months:
            continue
        cell = (row.cohort, row.month)
        cohorts.add(row.cohort)
        pairs[cell] += 1
        due[cell] += row.meetings_due
        met[cell] += min(row.meetings_met, row.meetings_due)
        goals[cell] += row.goals_completed
        score = month_health(row)
        if score is not None:
            health[cell].append(score)
    trends = []
    for cohort in sorted(cohorts, key=lambda c: (c is None, c or "")):
        trend = CohortTrend(cohort, months)
        for month in months:
            cell = (cohort, month)
            trend.meeting_rate.append(met[cell] / due[cell] if due[cell] else None)
            trend.goals_completed.append(goals[cell])
            trend.pairs.append(pairs[cell])
            trend.meetings_due.append(due[cell])
            trend.meetings_met.append(met[cell])
            scores = health[cell]
            trend.average_health.append(sum(scores) / len(scores) if scores else None)
        trends.append(trend)
    return trends
