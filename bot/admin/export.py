"""`tandem export`: the programme as CSV, one row per pair; numbers and dates, no private text."""

import csv
from collections.abc import Iterator
from typing import IO, Any

from sqlmodel import Session

from storage.queries.programme import cohort_names, counts_per_pair, pairs_in, people_by_id

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


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def export_rows(session: Session, team_id: str | None = None) -> Iterator[dict[str, Any]]:
    """One dict per pair with COLUMNS as keys (what admins may see: counts, states, dates)."""
    pairs = pairs_in(session, team_id)
    people = people_by_id(session, {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs})
    counts = counts_per_pair(session, [p.id for p in pairs if p.id is not None])
    cohorts = {}
    for team in {p.team_id for p in pairs}:
        cohorts.update(cohort_names(session, team))

    def count(table: str, pair_id: int, index: int = 0) -> Any:
        row = counts.get(table, {}).get(pair_id)
        return (row[index] or 0) if row else 0

    for pair in pairs:
        mentor, mentee = people.get(pair.mentor_id), people.get(pair.mentee_id)
        meetings = counts.get("meetings", {}).get(pair.id)
        yield {
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


def spreadsheet_safe(value: Any) -> Any:
    """Names typed by people must not run as formulas when the CSV is opened in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(rows: Iterator[dict[str, Any]], stream: IO[str]) -> int:
    """Write `rows` as CSV with a header; returns how many rows were written."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    written = 0
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        written += 1
    return written
