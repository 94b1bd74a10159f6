"""The rhythm, revisited: each active pair's lived rhythm is compared with its charter's
(bot/reflection/drift_rules.py) once a cadence step, and a clear drift is told to the pair in
their group DM, in numbers, with a way to change the charter, keep it, or raise it in review.

What is due is kept on the pair (`next_drift_check_at`, behind the (status, date) index), so
a tick reads only the pairs due a look, a batch at a time in a constant number of statements.
Paused and ended pairs are never looked at (a pause is no drift). What the last look saw
(`drift_*`) feeds status, Home and the admins' at-risk list; an offer is made at most once
every `OFFER_EVERY`, never before `drift_quiet_until` ("Keep weekly" sets it 8 weeks ahead).
"""

from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.events import CharterSaved
from bot.core.membership import Membership
from bot.delivery.service import post_to_pair
from bot.reflection.blocks.drift import offer_message, seen_drift, status_line
from bot.reflection.drift_rules import Drift, detect_drift
from bot.reflection.rhythm_rules import cadence_period, occurrence_key
from storage.models import MeetingStatus, Pair, PairStatus
from storage.queries.pairs import held_batches, pairs_due
from storage.queries.reflection import DUE_BATCH, agreed_rhythms, meetings_since

KIND = "pair.drift"
OFFER_EVERY = timedelta(weeks=6)
# How far back meetings are read: a monthly window (4 months) and a pause of two months or
# so. A window stretched further by a longer pause is not judged until it fills again.
LOOKBACK = timedelta(days=200)
# When there is no schedule to compare with yet (no charter agreed), look again after this.
NO_SCHEDULE_STEP = timedelta(weeks=1)


def arm_drift_checks(session: Session, pairs: list[Pair], now: datetime) -> None:
    """A newly tracked pair's first look is a week away (a date it already has is kept)."""
    for pair in pairs:
        if pair.next_drift_check_at is None:
            pair.next_drift_check_at = now + NO_SCHEDULE_STEP
            session.add(pair)


def forget_drift(ctx: Tandem, session: Session, event: CharterSaved) -> None:
    """A charter whose schedule took effect: what was seen under the old one no longer says
    anything, and the next tick looks again (any quiet period stands)."""
    pair = event.pair
    pair.drift_cadence = pair.drift_expected = pair.drift_met = None
    pair.next_drift_check_at = event.now
    session.add(pair)


def _start_of(local_start: str, zone: str) -> datetime:
    """The instant the series' current rhythm began (its first wall-clock start)."""
    return datetime.fromisoformat(local_start).replace(tzinfo=ZoneInfo(zone))


def _seen(
    rhythm: tuple[str, str, str] | None,
    meetings: list[tuple[datetime | None, datetime, str]],
    now: datetime,
) -> Drift | None:
    if rhythm is None:
        return None
    local_start, zone, cadence = rhythm
    began = _start_of(local_start, zone) - timedelta(days=1)
    expected = [at for at, _, _ in meetings if at is not None and at >= began]
    held = [starts for _, starts, status in meetings if status == MeetingStatus.MET]
    return detect_drift(cadence, expected, held, now)


# Written for every pair looked at, changed or not: the batch's pairs then flush as one
# executemany UPDATE (the ORM groups consecutive rows by the columns they change).
WRITTEN = (
    "next_drift_check_at",
    "drift_cadence",
    "drift_expected",
    "drift_met",
    "drift_quiet_until",
)


def _offer(session: Session, pair: Pair, drift: Drift, now: datetime) -> int:
    return post_to_pair(
        session,
        pair,
        key=f"{KIND}:{pair.id}:{occurrence_key(now)}",
        kind=KIND,
        deliver_after=now,
        **offer_message(pair.id or 0, drift),
    )


def _look(
    pair: Pair, rhythm: tuple[str, str, str] | None, drift: Drift | None, now: datetime
) -> bool:
    """Record what a look at `pair` saw and when to look again; whether to offer a change."""
    offer = drift is not None and (pair.drift_quiet_until or now) <= now
    if offer:
        pair.drift_quiet_until = now + OFFER_EVERY
    pair.drift_cadence = drift.cadence if drift else None
    pair.drift_expected = drift.expected if drift else None
    pair.drift_met = drift.met if drift else None
    pair.next_drift_check_at = now + (cadence_period(rhythm[2]) if rhythm else NO_SCHEDULE_STEP)
    for name in WRITTEN:
        flag_modified(pair, name)
    return offer


def produce_drift_offers(ctx: Tandem, session: Session, now: datetime) -> int:
    """Look at the pairs due a look: record what is seen, offer a change where it is time."""
    queued = 0
    due = partial(pairs_due, session, Pair.next_drift_check_at, now, DUE_BATCH)
    for batch in held_batches(session, due, with_workspaces=True):
        ids = [pair.id or 0 for pair in batch]
        rhythms = agreed_rhythms(session, ids)
        meetings = meetings_since(session, ids, now - LOOKBACK)
        offers = []
        for pair in batch:
            rhythm = rhythms.get(pair.id or 0)
            drift = _seen(rhythm, meetings.get(pair.id or 0, []), now)
            if _look(pair, rhythm, drift, now) and drift is not None:
                offers.append((pair, drift))
            session.add(pair)
        # Queued once every pair of the batch is written: a statement the outbox runs may
        # flush them, and they then go as one UPDATE.
        queued += sum(_offer(session, pair, drift, now) for pair, drift in offers)
    return queued


def drift_status(
    session: Session, memberships: list[Membership], now: datetime
) -> dict[int, list[str]]:
    """ "Rhythm as lived: agreed weekly · lived every 2 weeks" under each active pair whose
    last look saw a drift (read from the pairs themselves: no statement at all)."""
    lines: dict[int, list[str]] = {}
    for membership in memberships:
        pair = membership.pair
        drift = seen_drift(pair) if pair.status == PairStatus.ACTIVE else None
        if drift is not None:
            lines[pair.id or 0] = [status_line(drift)]
    return lines
