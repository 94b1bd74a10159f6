"""When a pair goes quiet: a gentle nudge at twice the cadence, a note to admins at four times.

The clock (`MeetingSeries.lapse_since`) starts when the series starts and restarts whenever a
meeting is logged, or the pair resumes after a pause. Each lapse is nudged once: the keys name
the lapse by when it began, so a rerun, a second scheduler or a restart adds nothing.
Admins learn only that the pair lapsed and since when: never notes, agenda or goals.
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.people import programme_admins
from bot.delivery.service import dm_member, post_to_pair
from bot.meetings import keys
from bot.meetings.blocks.messages import lapse_admin_message, lapse_message
from bot.meetings.members import members, name_of
from bot.meetings.recurrence import cadence_period
from storage.models import MeetingSeries, Pair
from storage.queries.meetings import scheduled_before, series_with_due_lapse_check

NUDGE_AFTER = 2  # cadence steps without a meeting before the pair is nudged
REPORT_AFTER = 4  # ... and before the programme admins are told
ANSWER_GRACE = timedelta(days=1)  # after a meeting's end, for "did you meet?" to be answered


def thresholds(series: MeetingSeries) -> tuple[datetime, datetime]:
    """(when the pair is nudged, when admins are told) for the current lapse clock."""
    assert series.lapse_since is not None
    step = cadence_period(series.rrule)
    return series.lapse_since + NUDGE_AFTER * step, series.lapse_since + REPORT_AFTER * step


def start_clock(series: MeetingSeries, since: datetime) -> None:
    """Restart the lapse clock at `since` (never backwards) and arm the next check."""
    if series.lapse_since is None or since > series.lapse_since:
        series.lapse_since = since
    rearm(series)


def rearm(series: MeetingSeries) -> None:
    """Look again when the pair would first count as lapsed (the cadence may have changed)."""
    if series.lapse_since is not None:
        series.next_lapse_at = thresholds(series)[0]


def _nudge_pair(session: Session, pair: Pair, since: datetime, now: datetime) -> int:
    mentor, mentee = members(session, pair)
    message = lapse_message(pair.id, since, name_of(mentor), name_of(mentee))
    return post_to_pair(
        session,
        pair,
        key=keys.lapse_key(pair.id, since),
        kind=keys.LAPSE,
        deliver_after=now,
        **message,
    )


def _tell_admins(ctx: Tandem, session: Session, pair: Pair, since: datetime, now: datetime) -> int:
    mentor, mentee = members(session, pair)
    message = lapse_admin_message(name_of(mentor), name_of(mentee), since)
    return sum(
        dm_member(
            session,
            admin,
            team_id=pair.team_id,
            key=keys.lapse_admin_key(pair.id, since, admin),
            kind=keys.LAPSE_ADMIN,
            deliver_after=now,
            **message,
        )
        for admin in programme_admins(session, ctx.settings, pair.team_id)
    )


def awaiting_answer(session: Session, pair: Pair, now: datetime) -> datetime | None:
    """Until when to wait for an answer to a "did you meet?" asked less than a day ago."""
    waiting_until = [
        end + ANSWER_GRACE
        for meeting in scheduled_before(session, pair.id or 0, now)
        if (end := meeting.starts_at + timedelta(minutes=meeting.duration_minutes)) + ANSWER_GRACE
        > now
    ]
    return max(waiting_until, default=None)


def produce_lapse_nudges(ctx: Tandem, session: Session, now: datetime) -> int:
    """Nudge pairs that went quiet, and tell admins about the ones that stayed quiet."""
    queued = 0
    for series in series_with_due_lapse_check(session, now):
        pair = session.get(Pair, series.pair_id)
        if pair is None or series.lapse_since is None:
            continue
        nudge_at, report_at = thresholds(series)
        since = series.lapse_since
        waiting = awaiting_answer(session, pair, now)
        if waiting is not None and now < report_at:
            # "Did you meet?" was just asked: their answer may well be "yes". Give them a day
            # (a "Met" restarts the clock); a pair that never answers is nudged after it.
            series.next_lapse_at = waiting
            session.add(series)
            continue
        if now >= nudge_at:
            queued += _nudge_pair(session, pair, since, now)
        if now >= report_at:
            queued += _tell_admins(ctx, session, pair, since, now)
        series.next_lapse_at = report_at if now < report_at else None
        session.add(series)
    return queued
