"""When a pair goes quiet: a gentle nudge at 2x the cadence, again at 4x and 8x (and every
doubling after), the programme admins told from 4x.

The clock (`MeetingSeries.lapse_since`) starts at the series' first occurrence (never at the
pairing or the charter's save: nothing was due before the first meeting) and restarts
whenever a meeting is marked met or logged, or the pair resumes after a pause. The keys name
the lapse by when it began and how long it has lasted, so each step is nudged once: a rerun,
a second scheduler or a restart adds nothing. Admins learn only that the pair lapsed and
since when: never notes, agenda or goals.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.people import programme_admins, zones_of
from bot.delivery.service import dm_member, post_to_pair
from bot.meetings import keys, schedule
from bot.meetings.blocks.messages import lapse_admin_message, lapse_message
from bot.meetings.members import name_of
from bot.meetings.recurrence_rules import cadence_period
from storage.models import Meeting, MeetingSeries, Pair
from storage.queries.meetings import (
    pairs_by_id,
    scheduled_before_of_pairs,
    series_with_due_lapse_check,
)
from storage.queries.pairs import pair_people, people_by_id

NUDGE_AFTER = 2  # cadence steps without a meeting before the pair is nudged
REPORT_AFTER = 4  # ... and before the programme admins are told
ANSWER_GRACE = timedelta(days=1)  # after a meeting's end, for "did you meet?" to be answered
LOAD_BATCH = 200  # due series whose pairs, members and meetings are read together


def at_multiple(series: MeetingSeries, times: int) -> datetime:
    """When the current lapse will have lasted `times` cadence steps."""
    assert series.lapse_since is not None
    return series.lapse_since + times * cadence_period(series.rrule)


def reached(series: MeetingSeries, now: datetime) -> int | None:
    """How long the current lapse has lasted at `now`, as the largest of 2, 4, 8... cadence
    steps it reached (None: not yet NUDGE_AFTER)."""
    times, found = NUDGE_AFTER, None
    while at_multiple(series, times) <= now:
        found, times = times, times * 2
    return found


def start_clock(series: MeetingSeries, since: datetime) -> None:
    """Restart the lapse clock at `since` (never backwards) and arm the next check."""
    if series.lapse_since is None or since > series.lapse_since:
        series.lapse_since = since
    _rearm(series)


def _rearm(series: MeetingSeries) -> None:
    """Look again when the pair would first count as lapsed (the cadence may have changed)."""
    if series.lapse_since is not None:
        series.next_lapse_at = at_multiple(series, NUDGE_AFTER)


def _nudge_pair(
    session: Session, pair: Pair, series: MeetingSeries, times: int, now: datetime
) -> int:
    mentor, mentee = pair_people(session, pair)
    since = series.lapse_since
    assert since is not None
    zone = schedule.zone_of(series)  # the group DM's times fall back to the series' zone
    message = lapse_message(pair.id, since, name_of(mentor), name_of(mentee), zone)
    return post_to_pair(
        session,
        pair,
        key=keys.lapse_key(pair.id, since, times),
        kind=keys.LAPSE,
        deliver_after=now,
        **message,
    )


def _tell_admins(
    session: Session,
    pair: Pair,
    admins: dict[str, ZoneInfo],
    since: datetime,
    times: int,
    now: datetime,
) -> int:
    """One DM to each admin, its date falling back to that admin's own timezone."""
    mentor, mentee = pair_people(session, pair)
    return sum(
        dm_member(
            session,
            admin,
            team_id=pair.team_id,
            key=keys.lapse_admin_key(pair.id, since, admin, times),
            kind=keys.LAPSE_ADMIN,
            deliver_after=now,
            **lapse_admin_message(name_of(mentor), name_of(mentee), since, times, zone),
        )
        for admin, zone in admins.items()
    )


def answer_awaited(scheduled: list[Meeting], now: datetime) -> datetime | None:
    """Until when to wait for an answer to a "did you meet?" asked less than a day ago, of
    the pair's meetings still marked scheduled that began before `now`."""
    waiting_until = [
        end + ANSWER_GRACE
        for meeting in scheduled
        if (end := meeting.starts_at + timedelta(minutes=meeting.duration_minutes)) + ANSWER_GRACE
        > now
    ]
    return max(waiting_until, default=None)


def produce_lapse_nudges(ctx: Tandem, session: Session, now: datetime) -> int:
    """Nudge pairs that went quiet, and tell admins about the ones that stayed quiet."""
    queued = 0
    due = series_with_due_lapse_check(session, now)
    for start in range(0, len(due), LOAD_BATCH):
        queued += _look_at(ctx, session, due[start : start + LOAD_BATCH], now)
    return queued


def _look_at(ctx: Tandem, session: Session, batch: list[MeetingSeries], now: datetime) -> int:
    """One batch of due series: what they need read in a constant number of statements."""
    pair_ids = [series.pair_id for series in batch]
    pairs = pairs_by_id(session, set(pair_ids))
    # Held for the batch: the session keeps loaded rows only while they are referenced,
    # and its `session.get`s are then answered without SQL.
    _members = people_by_id(
        session, {i for pair in pairs.values() for i in (pair.mentor_id, pair.mentee_id)}
    )
    scheduled = scheduled_before_of_pairs(session, pair_ids, now)
    admins: dict[str, dict[str, ZoneInfo]] = {}  # per workspace: each admin's own zone
    queued = 0
    for series in batch:
        pair = pairs.get(series.pair_id)
        if pair is None or series.lapse_since is None:
            continue
        since, times = series.lapse_since, reached(series, now)
        if times is None:  # not lapsed (yet): look again when it would be
            series.next_lapse_at = at_multiple(series, NUDGE_AFTER)
            session.add(series)
            continue
        waiting = answer_awaited(scheduled.get(series.pair_id, []), now)
        if waiting is not None and times < REPORT_AFTER:
            # "Did you meet?" was just asked: their answer may well be "yes". Give them a day
            # (a "Met" restarts the clock); a pair that never answers is nudged after it.
            series.next_lapse_at = waiting
            session.add(series)
            continue
        queued += _nudge_pair(session, pair, series, times, now)
        if times >= REPORT_AFTER:
            if pair.team_id not in admins:
                ids = programme_admins(session, ctx.settings, pair.team_id)
                admins[pair.team_id] = zones_of(session, ctx.settings, pair.team_id, ids)
            queued += _tell_admins(session, pair, admins[pair.team_id], since, times, now)
        series.next_lapse_at = at_multiple(series, times * 2)
        session.add(series)
    return queued
