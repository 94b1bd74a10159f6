"""Anniversaries (3, 6, 12 months together) and meeting streaks, each celebrated once in the
pair's group DM, found by the scheduler from the database (paused and ended pairs skipped)."""

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.core.context import Tandem
from bot.delivery.service import post_to_pair
from bot.goals.blocks import cheers
from bot.goals.celebrations import CHEER_KIND, cheer_key, claim_celebration
from storage.models import Pair, Person
from storage.queries.goals import (
    active_pairs_due_anniversary,
    active_pairs_met_since,
    last_skipped_at,
    met_run,
)

ANNIVERSARY_MONTHS = (3, 6, 12)
STREAKS = (5, 10, 20, 50)
# After this long, an anniversary is recorded without a message ("3 months" at month 4 is noise).
ANNIVERSARY_STILL_WELCOME = timedelta(days=14)
# Only a meeting kept this recently can have just made a streak (and it covers downtime).
STREAK_LOOKBACK = timedelta(days=30)


def reached_anniversary(activated_at: datetime, now: datetime) -> tuple[int, datetime] | None:
    """(months, when) of the latest anniversary reached by `now`, if any."""
    reached = None
    for months in ANNIVERSARY_MONTHS:
        when = activated_at + relativedelta(months=months)
        if when <= now:
            reached = (months, when)
    return reached


def reached_streak(meetings_in_a_row: int) -> int | None:
    """The largest streak threshold that `meetings_in_a_row` reaches, if any."""
    reached = [n for n in STREAKS if meetings_in_a_row >= n]
    return reached[-1] if reached else None


def _members(session: Session, pair: Pair) -> tuple[Person, Person]:
    mentor, mentee = session.get(Person, pair.mentor_id), session.get(Person, pair.mentee_id)
    assert mentor is not None and mentee is not None
    return mentor, mentee


def celebrate_anniversaries(session: Session, now: datetime) -> int:
    """Queue a message for each active pair that reached an anniversary; returns how many."""
    # A few days of slack: month arithmetic is exact below, this only narrows the search.
    first = now - relativedelta(months=ANNIVERSARY_MONTHS[0]) + timedelta(days=4)
    last_key = f"{ANNIVERSARY_MONTHS[-1]}m"
    queued = 0
    for pair in active_pairs_due_anniversary(session, first, last_key):
        assert pair.activated_at is not None
        reached = reached_anniversary(pair.activated_at, now)
        if reached is None:
            continue
        months, when = reached
        row = claim_celebration(session, pair, "anniversary", f"{months}m", now)
        if row is None or now - when > ANNIVERSARY_STILL_WELCOME:
            continue
        content = cheers.anniversary_cheer(*_members(session, pair), months)
        queued += post_to_pair(
            session, pair, key=cheer_key(row), kind=CHEER_KIND, deliver_after=now, **content
        )
    return queued


def celebrate_streaks(session: Session, now: datetime) -> int:
    """Queue a message for each active pair whose run of met meetings (since the last skipped
    one) just reached a streak threshold; each run is celebrated once per threshold."""
    queued = 0
    for pair in active_pairs_met_since(session, now - STREAK_LOOKBACK, now):
        count, first = met_run(
            session, pair.id or 0, last_skipped_at(session, pair.id or 0, now), now
        )
        streak = reached_streak(count)
        if streak is None or first is None:
            continue
        # The run is named by its first meeting: a new run after a skip is a new streak.
        key = f"streak-{streak}@{first:%Y%m%dT%H%M}"
        row = claim_celebration(session, pair, "streak", key, now)
        if row is None:
            continue
        content = cheers.streak_cheer(*_members(session, pair), streak)
        queued += post_to_pair(
            session, pair, key=cheer_key(row), kind=CHEER_KIND, deliver_after=now, **content
        )
    return queued


def produce_celebrations(ctx: Tandem, session: Session, now: datetime) -> int:
    """Scheduler producer: anniversaries and meeting streaks due at `now` (idempotent)."""
    return celebrate_anniversaries(session, now) + celebrate_streaks(session, now)
