"""Cohorts: creating and editing them, their numbers, trends and programme-only feedback."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.programme_settings import CADENCES, CHANNEL_ID
from bot.core.results import FieldErrors, Refused
from bot.programme.service.funnel import Funnel, funnels
from bot.programme.service.imports import new_cohort
from bot.programme.theme_rules import CohortFeedback, FeedbackEntry, cohort_feedback, name_words
from bot.programme.trend_rules import (
    CohortTrend,
    PairMonth,
    cohort_trends,
    last_months,
    month_health,
    month_start,
)
from storage.models import Cohort, PairStatus
from storage.queries.programme import (
    cohort_named,
    cohort_names,
    cohorts_of,
    monthly_goals_completed,
    monthly_meetings,
    monthly_review_scores,
    pair_counts_by_cohort,
    programme_feedback,
    programme_feedback_authors,
    team_names,
)

MAX_NAME = 80
MAX_REVIEW_MONTHS = 12  # as the workspace settings allow
WORKSPACE_CHOICE = "workspace"  # a select's "the workspace's" option: the cohort sets nothing


@dataclass(frozen=True)
class CohortDraft:
    """What the cohort modal submitted; for its own settings, None (or WORKSPACE_CHOICE)
    leaves the workspace's in force."""

    cohort_id: int | None
    name: str | None
    starts_on: str | None  # "YYYY-MM-DD" from a datepicker
    ends_on: str | None
    default_cadence: str | None = None
    review_interval_months: str | None = None
    celebrations_channel: str | None = None  # a channel id from the conversations select
    workspace_channel: bool = False  # "use the workspace's channel instead" ticked


@dataclass(frozen=True)
class _OwnSettings:
    default_cadence: str | None
    review_interval_months: int | None
    celebrations_channel: str | None


def _own_settings(draft: CohortDraft, errors: dict[str, str]) -> _OwnSettings:
    """The cohort's own settings from the draft (None: the workspace's), errors added."""
    cadence = draft.default_cadence or WORKSPACE_CHOICE
    if cadence != WORKSPACE_CHOICE and cadence not in CADENCES:
        errors["default_cadence"] = "Choose weekly, every 2 weeks, monthly or the workspace's."
    months_text = draft.review_interval_months or WORKSPACE_CHOICE
    months = None
    if months_text != WORKSPACE_CHOICE:
        if months_text.isdigit() and 1 <= int(months_text) <= MAX_REVIEW_MONTHS:
            months = int(months_text)
        else:
            errors["review_interval_months"] = (
                f"Choose every 1 to {MAX_REVIEW_MONTHS} months, or the workspace's."
            )
    channel = None if draft.workspace_channel else (draft.celebrations_channel or None)
    if channel is not None and not CHANNEL_ID.fullmatch(channel):
        errors["celebrations_channel"] = "Choose a channel from the list."
    return _OwnSettings(
        cadence if cadence in CADENCES else None,
        months,
        channel,
    )


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def save_cohort(
    session: Session, team_id: str, draft: CohortDraft, now: datetime
) -> Cohort | FieldErrors:
    """Create a cohort, or change one's name, dates and own settings; field errors change
    nothing."""
    errors: dict[str, str] = {}
    name = re.sub(r"\s+", " ", draft.name or "").strip()
    if not name:
        errors["name"] = "Give the cohort a name, like “Spring 2027”."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Keep the name under {MAX_NAME} characters."
    starts, ends = _date(draft.starts_on), _date(draft.ends_on)
    if starts is None:
        errors["starts_on"] = "Pick the day the cohort starts."
    if ends is None:
        errors["ends_on"] = "Pick the day the cohort ends."
    elif starts is not None and ends <= starts:
        errors["ends_on"] = "The cohort must end after it starts."
    elif starts is not None and ends - starts > timedelta(days=3 * 366):
        errors["ends_on"] = "A cohort can run for up to three years."
    own = _own_settings(draft, errors)
    same = cohort_named(session, team_id, name) if name else None
    cohort = session.get(Cohort, draft.cohort_id) if draft.cohort_id else None
    if draft.cohort_id and (cohort is None or cohort.team_id != team_id):
        errors["name"] = "That cohort no longer exists."
    if same is not None and (cohort is None or same.id != cohort.id):
        errors["name"] = f"There's already a cohort called “{same.name}”."
    if errors:
        return FieldErrors(errors)
    assert starts is not None and ends is not None
    fresh = new_cohort(team_id, name, starts, ends)
    if cohort is None:
        cohort = fresh
        cohort.created_at = now
    else:
        cohort.name, cohort.starts_on, cohort.ends_on = name, starts, ends
        # Moving the end re-arms the closing invitations, unless they went out already.
        if cohort.closed_at is None:
            cohort.closing_due_at = fresh.closing_due_at
    cohort.default_cadence = own.default_cadence
    cohort.review_interval_months = own.review_interval_months
    cohort.celebrations_channel = own.celebrations_channel
    try:
        with session.begin_nested():
            session.add(cohort)
    except IntegrityError:
        return FieldErrors({"name": f"There's already a cohort called “{name}”."})
    return cohort


@dataclass(frozen=True)
class CohortNumbers:
    """One cohort's pairs by state (None: pairs in no cohort)."""

    cohort: Cohort | None
    proposed: int
    active: int
    paused: int
    ended: int


@dataclass(frozen=True)
class ProgrammeOverview:
    """Everything `/tandem admin cohorts` shows: numbers, trends, feedback and the launch
    funnel per cohort."""

    numbers: list[CohortNumbers]
    months: list[str]
    trends: dict[str | None, CohortTrend]
    feedback: dict[str | None, CohortFeedback]
    funnels: list[Funnel]  # the workspace's first, then each cohort's


def _numbers(session: Session, team_id: str) -> list[CohortNumbers]:
    counts = pair_counts_by_cohort(session, team_id)
    result = []
    for cohort in [*cohorts_of(session, team_id), None]:
        found = counts.get(cohort.id if cohort else None, {})
        if cohort is None and not found:
            continue
        result.append(
            CohortNumbers(
                cohort,
                proposed=found.get(PairStatus.PROPOSED, 0),
                active=found.get(PairStatus.ACTIVE, 0),
                paused=found.get(PairStatus.PAUSED, 0),
                ended=found.get(PairStatus.ENDED, 0),
            )
        )
    return result


def pair_months(
    session: Session, team_id: str | None, now: datetime
) -> tuple[list[str], list[PairMonth]]:
    """The last six months, and each pair's evidence in each of them that had any.

    Three statements (plus the cohort names), whatever the number of pairs or workspaces;
    `team_id` None reads every workspace. What the sparklines and the export both count.
    """
    months = last_months(now)
    since = datetime.combine(month_start(months[0]), datetime.min.time(), tzinfo=now.tzinfo)
    names = cohort_names(session, team_id)
    rows: dict[tuple[int, str], dict] = {}

    def row(team: str, pair_id: int, cohort_id: int | None, month: str) -> dict:
        return rows.setdefault(
            (pair_id, month),
            {
                "team_id": team,
                "pair_id": pair_id,
                "cohort": names.get(cohort_id) if cohort_id else None,
                "month": month,
                "meetings_due": 0,
                "meetings_met": 0,
                "goals_completed": 0,
                "review_scores": (),
            },
        )

    for team, pair_id, cohort_id, month, due, met in monthly_meetings(session, team_id, since, now):
        row(team, pair_id, cohort_id, month).update(meetings_due=due, meetings_met=met)
    for team, pair_id, cohort_id, month, done in monthly_goals_completed(session, team_id, since):
        row(team, pair_id, cohort_id, month)["goals_completed"] = done
    for team, pair_id, cohort_id, month, score in monthly_review_scores(session, team_id, since):
        cell = row(team, pair_id, cohort_id, month)
        cell["review_scores"] = (*cell["review_scores"], score)
    found = [PairMonth(**values) for values in rows.values() if values["month"] in months]
    return months, found


def trends_by_cohort(
    session: Session, team_id: str, now: datetime
) -> tuple[list[str], dict[str | None, CohortTrend]]:
    """Six months of trends for each cohort (name; None: no cohort), in four statements."""
    months, rows = pair_months(session, team_id, now)
    trends = cohort_trends(rows, months)
    return months, {trend.cohort: trend for trend in trends}


@dataclass(frozen=True)
class PairMonthFigures:
    """One pair's figures for one month, as the export shows them (None: nothing to measure)."""

    meeting_rate: float | None
    goals_completed: int
    health: int | None


def monthly_figures_per_pair(
    session: Session, team_id: str | None, now: datetime
) -> tuple[list[str], dict[tuple[int, str], PairMonthFigures]]:
    """The last six months, and (pair id, month) → that month's figures, for months with any
    evidence; the same numbers the cohort sparklines add up."""
    months, rows = pair_months(session, team_id, now)
    return months, {
        (row.pair_id, row.month): PairMonthFigures(
            row.meeting_rate, row.goals_completed, month_health(row)
        )
        for row in rows
    }


def trends_per_workspace(
    session: Session, team_id: str | None, now: datetime
) -> tuple[list[str], list[tuple[str, CohortTrend]]]:
    """Every workspace's cohort trends (`tandem export --trends`), by team then cohort name."""
    months, rows = pair_months(session, team_id, now)
    by_team: dict[str, list[PairMonth]] = {}
    for row in rows:
        by_team.setdefault(row.team_id, []).append(row)
    return months, [
        (team, trend) for team in sorted(by_team) for trend in cohort_trends(by_team[team], months)
    ]


def feedback_by_cohort(session: Session, team_id: str) -> dict[str | None, CohortFeedback]:
    """Programme-only feedback per cohort, k-anonymous (see bot/programme/theme_rules.py)."""
    names = {c.id: c.name for c in cohorts_of(session, team_id)}
    entries: dict[str | None, list[FeedbackEntry]] = {}
    for cohort_id, kind, text, month in programme_feedback(session, team_id):
        cohort = names.get(cohort_id) if cohort_id else None
        entries.setdefault(cohort, []).append(FeedbackEntry(kind, text, month))
    words = name_words(team_names(session, team_id))
    authors = programme_feedback_authors(session, team_id)
    return {
        cohort: cohort_feedback(cohort, found, words, authors.get(cohort, 0))
        for cohort, found in entries.items()
    }


def programme_overview(session: Session, team_id: str, now: datetime) -> ProgrammeOverview:
    """Numbers, trends and feedback for every cohort, in a fixed number of statements."""
    months, trends = trends_by_cohort(session, team_id, now)
    return ProgrammeOverview(
        numbers=_numbers(session, team_id),
        months=months,
        trends=trends,
        feedback=feedback_by_cohort(session, team_id),
        funnels=funnels(session, team_id),
    )


def find_cohort(session: Session, team_id: str, name: str) -> Cohort | None | Refused:
    """The cohort an admin named (None when they named none), or which names there are."""
    name = name.strip()
    if not name:
        return None
    cohort = cohort_named(session, team_id, name)
    if cohort is not None:
        return cohort
    known = ", ".join(f"“{c.name}”" for c in cohorts_of(session, team_id)[:10])
    return Refused(
        f"There's no cohort called “{name[:80]}”."
        + (f" Cohorts: {known}." if known else " `/tandem admin cohorts` creates one.")
    )


def cohort_choices(session: Session, team_id: str) -> list[tuple[int, str]]:
    """(id, name) of the workspace's cohorts, newest first, for a select menu."""
    return [(c.id or 0, c.name) for c in cohorts_of(session, team_id)]
