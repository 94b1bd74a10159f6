"""When reflection is due: the pure date arithmetic behind prompts, reviews and giving back."""

from datetime import UTC, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

DEFAULT_FEEDBACK_WEEKS = 4
DEFAULT_REVIEW_MONTHS = 3
GIVING_BACK_PERIOD = timedelta(days=30)
# How far back the health score and the giving-back rules look.
RECENT = timedelta(weeks=12)
CADENCE_PERIODS = {
    "weekly": timedelta(weeks=1),
    "biweekly": timedelta(weeks=2),
    "monthly": timedelta(days=30),
}

Step = timedelta | relativedelta


def feedback_step(weeks: int | None) -> timedelta:
    """The gap between feedback prompts (the charter's choice, 4 weeks when unset or silly)."""
    return timedelta(weeks=weeks if weeks and 0 < weeks <= 52 else DEFAULT_FEEDBACK_WEEKS)


def review_step(charter_months: int | None, workspace_months: int | None) -> relativedelta:
    """The gap between reviews: the charter's choice, else the workspace's, else 3 months."""
    for months in (charter_months, workspace_months):
        if months and 0 < months <= 24:
            return relativedelta(months=months)
    return relativedelta(months=DEFAULT_REVIEW_MONTHS)


def cadence_period(cadence: str | None) -> timedelta:
    """How often the charter's cadence means to meet (every two weeks when unknown)."""
    return CADENCE_PERIODS.get(cadence or "", CADENCE_PERIODS["biweekly"])


def first_due(start: datetime, step: Step) -> datetime:
    """The first occurrence after `start` (a pair's activation)."""
    return start + step


def counted_from_first_meeting(due: datetime, first_met: datetime, step: Step) -> datetime:
    """`due`, or one step after the first meeting held when it was armed earlier (from the
    pairing, before the pair ever met: a rhythm of looking back starts with a meeting);
    at the UTC midnight that begins the next day, so that one person's prompts from several
    pairs fall due together and arrive as one message in their morning."""
    at = max(due, first_due(first_met, step)).astimezone(UTC)
    midnight = datetime.combine(at.date(), time(0), UTC)
    return midnight if midnight == at else midnight + timedelta(days=1)


def following(due: datetime, step: Step, now: datetime) -> datetime:
    """The next occurrence after `due` that is still in the future at `now`.

    After downtime or a pause many steps may have passed: they are folded into one, so a
    pair gets one prompt, not one per missed step.
    """
    nxt = due + step
    while nxt <= now:
        nxt += step
    return nxt


def occurrence_key(due: datetime) -> str:
    """A stable name for one occurrence, for outbox keys (UTC, to the minute)."""
    return due.strftime("%Y%m%dT%H%MZ")
