"""The launch funnel: how a cohort's proposals became pairs that meet, as counts and rates.

Proposed → accepted / declined / unanswered → charter signed → first meeting met → still
meeting 30 days after they began. Numbers only, never names; one grouped statement (plus the
cohort names) whatever the size of the programme.
"""

from collections.abc import Iterator
from dataclasses import dataclass, fields

from sqlmodel import Session

from storage.queries.programme import cohort_names, funnel_counts

STILL_MEETING_DAYS = 30
# The stages after "proposed", in the funnel's order: (field, heading).
STAGES = (
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("unanswered", "Unanswered"),
    ("charter_signed", "Charter signed"),
    ("first_met", "First meeting met"),
    ("still_meeting", f"Still meeting after {STILL_MEETING_DAYS} days"),
)


@dataclass(frozen=True)
class Funnel:
    """One cohort's (or a whole workspace's) funnel; every stage counts pairs."""

    team_id: str
    scope: str  # "workspace" (every pair) or "cohort"
    cohort: str  # the cohort's name; "" for the workspace, or for pairs in no cohort
    proposed: int
    accepted: int
    declined: int
    unanswered: int
    charter_signed: int
    first_met: int
    still_meeting: int

    def rate(self, stage: str) -> float | None:
        """A stage as a share of the pairs proposed (None when none were)."""
        return getattr(self, stage) / self.proposed if self.proposed else None

    def __add__(self, other: "Funnel") -> "Funnel":
        counts = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name not in ("team_id", "scope", "cohort")
        }
        return Funnel(self.team_id, self.scope, self.cohort, **counts)


def funnels(session: Session, team_id: str | None) -> list[Funnel]:
    """Each workspace's funnel (first), then its cohorts' by name (pairs in no cohort last)."""
    names = cohort_names(session, team_id)
    by_team: dict[str, list[Funnel]] = {}
    for team, cohort_id, *counts in funnel_counts(session, team_id, STILL_MEETING_DAYS):
        name = names.get(cohort_id, "") if cohort_id else ""
        by_team.setdefault(team, []).append(Funnel(team, "cohort", name, *counts))
    return [row for team in sorted(by_team) for row in _with_total(team, by_team[team])]


def _with_total(team_id: str, cohorts: list[Funnel]) -> Iterator[Funnel]:
    total = Funnel(team_id, "workspace", "", 0, 0, 0, 0, 0, 0, 0)
    for cohort in cohorts:
        total = total + cohort
    yield total
    yield from sorted(cohorts, key=lambda row: (not row.cohort, row.cohort))
