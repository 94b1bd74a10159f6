"""`tandem export`: the programme as CSV; numbers and dates, no private text.

The default export is one row per pair: COLUMNS, then six months of that pair's figures
(oldest month first): `meeting_rate_YYYY-MM`, `goals_completed_YYYY-MM`, `health_YYYY-MM`,
empty for a month with nothing to measure. `tandem export --trends` is one row per cohort per
month (TREND_COLUMNS), the numbers the cohort sparklines in Slack draw. `tandem export --funnel`
is one row per workspace and per cohort (FUNNEL_COLUMNS), the launch funnel Slack shows. Each is
a fixed number of statements, whatever the size of the programme.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from sqlmodel import Session

from bot.programme.service.cohorts import monthly_figures_per_pair, trends_per_workspace
from bot.programme.service.funnel import STAGES, funnels
from storage.queries.programme import (
    cohort_names,
    counts_per_pair,
    pair_ids_in,
    pairs_in,
    people_of_pairs,
)

COLUMNS = (
    "team_id",
    "pair_id",
    "mentor_user_id",
    "mentor_name",
    "mentee_user_id",
    "mentee_name",
    "status",
    "stage",
    "cohort",
    "proposed_at",
    "activated_at",
    "ended_at",
    "end_kind",
    "charter_versions",
    "meetings_met",
    "meetings_skipped",
    "meetings_rescheduled",
    "last_met_at",
    "goals",
    "goals_completed",
    "milestones",
    "milestones_done",
    "feedback_to_partner",
    "given_by_mentor",
    "given_by_mentee",
    "reviews_completed",
)
MONTHLY = ("meeting_rate", "goals_completed", "health")  # per pair, for each of six months

TREND_COLUMNS = (
    "team_id",
    "cohort",
    "month",
    "pairs",
    "meetings_due",
    "meetings_met",
    "meeting_rate",
    "goals_completed",
    "average_health",
)


def monthly_columns(months: Iterable[str]) -> list[str]:
    """The per-pair month columns, month by month, oldest first."""
    return [f"{figure}_{month}" for month in months for figure in MONTHLY]


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def pair_export(
    session: Session, team_id: str | None = None, now: datetime | None = None
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The per-pair export's columns, and one dict per pair (what admins may see)."""
    months, figures = monthly_figures_per_pair(session, team_id, _now(now))
    columns = [*COLUMNS, *monthly_columns(months)]
    pairs = pairs_in(session, team_id)
    ids = pair_ids_in(team_id)
    people = people_of_pairs(session, ids) if pairs else {}
    counts = counts_per_pair(session, ids) if pairs else {}
    cohorts = cohort_names(session, team_id) if pairs else {}

    def count(table: str, pair_id: int, index: int = 0) -> Any:
        row = counts.get(table, {}).get(pair_id)
        return (row[index] or 0) if row else 0

    def rows() -> Iterator[dict[str, Any]]:
        for pair in pairs:
            mentor, mentee = people.get(pair.mentor_id), people.get(pair.mentee_id)
            meetings = counts.get("meetings", {}).get(pair.id)
            row = {
                "team_id": pair.team_id,
                "pair_id": pair.id,
                "mentor_user_id": mentor.user_id if mentor else "",
                "mentor_name": (mentor.real_name or mentor.display_name) if mentor else "",
                "mentee_user_id": mentee.user_id if mentee else "",
                "mentee_name": (mentee.real_name or mentee.display_name) if mentee else "",
                "status": pair.status,
                "stage": pair.stage,
                "cohort": cohorts.get(pair.cohort_id, "") if pair.cohort_id else "",
                "proposed_at": _iso(pair.created_at),
                "activated_at": _iso(pair.activated_at),
                "ended_at": _iso(pair.ended_at),
                "end_kind": pair.end_kind or "",
                "charter_versions": count("charter", pair.id),
                "meetings_met": count("meetings", pair.id, 0),
                "meetings_skipped": count("meetings", pair.id, 1),
                "meetings_rescheduled": count("meetings", pair.id, 2),
                "last_met_at": _iso(meetings[3]) if meetings and meetings[3] else "",
                "goals": count("goals", pair.id, 0),
                "goals_completed": count("goals", pair.id, 1),
                "milestones": count("milestones", pair.id, 0),
                "milestones_done": count("milestones", pair.id, 1),
                "feedback_to_partner": count("feedback", pair.id, 0),
                "given_by_mentor": count("given_by_mentor", pair.id),
                "given_by_mentee": count("given_by_mentee", pair.id),
                "reviews_completed": count("reviews", pair.id),
            }
            for month in months:
                found = figures.get((pair.id or 0, month))
                row[f"meeting_rate_{month}"] = _rate(found.meeting_rate) if found else ""
                row[f"goals_completed_{month}"] = found.goals_completed if found else ""
                health = found.health if found else None
                row[f"health_{month}"] = "" if health is None else health
            yield row

    return columns, rows()


def export_rows(
    session: Session, team_id: str | None = None, now: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per pair, COLUMNS then the monthly columns as keys."""
    return pair_export(session, team_id, now)[1]


def trend_rows(
    session: Session, team_id: str | None = None, now: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per workspace, cohort and month (TREND_COLUMNS as keys), oldest month first."""
    months, trends = trends_per_workspace(session, team_id, _now(now))
    for team, trend in trends:
        for index, month in enumerate(months):
            health = trend.average_health[index]
            yield {
                "team_id": team,
                "cohort": trend.cohort or "",
                "month": month,
                "pairs": trend.pairs[index],
                "meetings_due": trend.meetings_due[index],
                "meetings_met": trend.meetings_met[index],
                "meeting_rate": _rate(trend.meeting_rate[index]),
                "goals_completed": trend.goals_completed[index],
                "average_health": "" if health is None else f"{health:.1f}",
            }


FUNNEL_COLUMNS = (
    "team_id",
    "scope",
    "cohort",
    "proposed",
    *(column for stage, _ in STAGES for column in (stage, f"{stage}_rate")),
)


def funnel_rows(session: Session, team_id: str | None = None) -> Iterator[dict[str, Any]]:
    """One dict per workspace (scope "workspace") and per cohort in it (FUNNEL_COLUMNS as keys):
    pairs at each stage and their share of those proposed."""
    for funnel in funnels(session, team_id):
        row: dict[str, Any] = {
            "team_id": funnel.team_id,
            "scope": funnel.scope,
            "cohort": funnel.cohort,
            "proposed": funnel.proposed,
        }
        for stage, _ in STAGES:
            row[stage] = getattr(funnel, stage)
            row[f"{stage}_rate"] = _rate(funnel.rate(stage))
        yield row


def spreadsheet_safe(value: Any) -> Any:
    """Names typed by people must not run as formulas when the CSV is opened in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(
    rows: Iterable[dict[str, Any]], stream: IO[str], columns: Iterable[str] | None = None
) -> int:
    """Write `rows` as CSV with a header; returns how many rows were written.

    The header is `columns`, or the first row's keys (COLUMNS when there are no rows).
    """
    found = iter(rows)
    first = next(found, None)
    if columns is None:
        columns = list(first) if first is not None else list(COLUMNS)
    writer = csv.DictWriter(stream, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    written = 0
    for row in [first] if first is not None else []:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        written += 1
    for row in found:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        written += 1
    return written
