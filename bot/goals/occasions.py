"""Anniversaries (3, 6, 12 months together) and meeting streaks, each celebrated once in the
pair's group DM, found by the scheduler from the database (paused and ended pairs skipped).

Months together count from the first meeting held, not the pairing: a pair proposed in
December that first meets in March has its "3 months" in June, and a pair that never met is
congratulated on nothing.

What is due is kept on the pair: `next_anniversary_at` (moved to the next anniversary as each
is reached; armed by the first meeting held, seen by the streak check) and `streak_check_at`
(set when a meeting is logged as met), so a tick reads only the pairs that have something to
celebrate."""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.kit import context
from bot.delivery.service import post_to_pair
from bot.goals.blocks import cheers
from bot.goals.celebrations import CHEER_KIND, cheer_key, claim_celebrations
from bot.goals.occasion_sharing import offer_occasion_share
from storage.models import Pair, Person
from storage.queries.charter import current_charters
from storage.queries.goals import anniversaries_celebrated, met_runs
from storage.queries.meetings import first_met_of
from storage.queries.pairs import held_batches, pair_people, pairs_due

# Pairs read and written per batch: bounds a tick's memory, whatever is due.
DUE_BATCH = 200

ANNIVERSARY_MONTHS = (3, 6, 12)
STREAKS = (5, 10, 20, 50)
# After this long, an anniversary is recorded without a message ("3 months" at month 4 is noise).
ANNIVERSARY_STILL_WELCOME = timedelta(days=14)
# Only a meeting kept this recently can have just made a streak (and it covers downtime).
STREAK_LOOKBACK = timedelta(days=30)


def reached_anniversary(first_met: datetime, now: datetime) -> tuple[int, datetime] | None:
    """(months, when) of the latest anniversary reached by `now`, if any."""
    reached = None
    for months in ANNIVERSARY_MONTHS:
        when = first_met + relativedelta(months=months)
        if when <= now:
            reached = (months, when)
    return reached


def reached_streak(meetings_in_a_row: int) -> int | None:
    """The largest streak threshold that `meetings_in_a_row` reaches, if any."""
    reached = [n for n in STREAKS if meetings_in_a_row >= n]
    return reached[-1] if reached else None


def next_anniversary(first_met: datetime, after_months: int) -> datetime | None:
    """When the first anniversary after `after_months` months together falls (None after the
    last one)."""
    later = [m for m in ANNIVERSARY_MONTHS if m > after_months]
    return first_met + relativedelta(months=later[0]) if later else None


def _arm_anniversaries(session: Session, pairs: list[Pair]) -> None:
    """Give the pairs without a next anniversary the one after those celebrated, counted from
    their first meeting held (none while they never met). Two statements for the batch."""
    unarmed = [pair for pair in pairs if pair.next_anniversary_at is None]
    ids = [pair.id or 0 for pair in unarmed]
    firsts = first_met_of(session, ids)
    celebrated = anniversaries_celebrated(session, [i for i in ids if i in firsts])
    for pair in unarmed:
        first_met = firsts.get(pair.id or 0)
        if first_met is not None:
            done = max(celebrated.get(pair.id or 0, [0]))
            pair.next_anniversary_at = next_anniversary(first_met, done)
            session.add(pair)


def _with_note(content: dict, note: str) -> dict:
    if not note:
        return content
    return {**content, "blocks": [*content["blocks"], context(note)]}


def _cheer_all(
    ctx: Tandem,
    session: Session,
    wins: list[tuple[Pair, str, str, int]],
    cheer: Callable[[Person, Person, int], dict],
    now: datetime,
) -> int:
    """Claim a batch's wins (pair, kind, subject key, months or meetings) at once, those
    celebrated before left out; offer each to the celebrations channel as the pair's charter
    says, and queue each pair its cheer."""
    claimed = claim_celebrations(session, [win[:3] for win in wins], now)
    if not claimed:
        return 0
    charters = current_charters(session, list(claimed))
    queued = 0
    for pair, _, _, count in wins:
        row = claimed.get(pair.id or 0)
        if row is None:
            continue
        note = offer_occasion_share(ctx, session, pair, row, now, charters)
        content = _with_note(cheer(*pair_people(session, pair), count), note)
        queued += post_to_pair(
            session, pair, key=cheer_key(row), kind=CHEER_KIND, deliver_after=now, **content
        )
    return queued


def celebrate_anniversaries(ctx: Tandem, session: Session, now: datetime) -> int:
    """Queue a message for each active pair that reached an anniversary; returns how many.

    Reads only the pairs whose `next_anniversary_at` has come, a batch at a time, in a
    constant number of statements per batch.
    """
    queued = 0
    due = partial(pairs_due, session, Pair.next_anniversary_at, now, DUE_BATCH)
    for batch in held_batches(session, due, with_workspaces=True):
        firsts = first_met_of(session, [pair.id or 0 for pair in batch])
        welcome: list[tuple[Pair, str, str, int]] = []
        late: list[tuple[Pair, str, str]] = []
        for pair in batch:
            first_met = firsts.get(pair.id or 0)
            if first_met is None:  # armed from the pairing before issue 17: never met
                pair.next_anniversary_at = None
                session.add(pair)
                continue
            reached = reached_anniversary(first_met, now)
            months = reached[0] if reached else 0
            pair.next_anniversary_at = next_anniversary(first_met, months)
            session.add(pair)
            if reached is not None:
                # Recorded either way; too long after the day, it is recorded without a word.
                still = now - reached[1] <= ANNIVERSARY_STILL_WELCOME
                if still:
                    welcome.append((pair, "anniversary", f"{months}m", months))
                else:
                    late.append((pair, "anniversary", f"{months}m"))
        claim_celebrations(session, late, now)
        queued += _cheer_all(ctx, session, welcome, cheers.anniversary_cheer, now)
    return queued


def celebrate_streaks(ctx: Tandem, session: Session, now: datetime) -> int:
    """Queue a message for each active pair whose run of met meetings (since the last skipped
    one) just reached a streak threshold; each run is celebrated once per threshold.

    Only pairs with a meeting logged since the last look (`streak_check_at`) are read; their
    runs are counted in one statement per batch.
    """
    queued = 0
    due = partial(pairs_due, session, Pair.streak_check_at, now, DUE_BATCH)
    for batch in held_batches(session, due, with_workspaces=True):
        runs = met_runs(session, [pair.id or 0 for pair in batch], now)
        _arm_anniversaries(session, batch)  # a first meeting held starts the months together
        wins: list[tuple[Pair, str, str, int]] = []
        for pair in batch:
            pair.streak_check_at = None
            session.add(pair)
            count, first = runs.get(pair.id or 0, (0, None))
            streak = reached_streak(count)
            if streak is None or first is None:
                continue
            # The run is named by its first meeting: a new run after a skip is a new streak.
            wins.append((pair, "streak", f"streak-{streak}@{first:%Y%m%dT%H%M}", streak))
        queued += _cheer_all(ctx, session, wins, cheers.streak_cheer, now)
    return queued


def arm_occasions(session: Session, pairs: list[Pair], now: datetime) -> None:
    """Give newly tracked pairs their next anniversary (after the ones already celebrated,
    once they have met) and a streak check when they met recently (what the scheduler looked
    at before)."""
    _arm_anniversaries(session, pairs)
    for pair in pairs:
        met = pair.last_meeting_at
        if pair.streak_check_at is None and met is not None and now - met <= STREAK_LOOKBACK:
            pair.streak_check_at = now
        session.add(pair)


def produce_celebrations(ctx: Tandem, session: Session, now: datetime) -> int:
    """Scheduler producer: anniversaries and meeting streaks due at `now` (idempotent)."""
    return celebrate_anniversaries(ctx, session, now) + celebrate_streaks(ctx, session, now)
