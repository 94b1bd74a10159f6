"""The pair's meeting series follows the charter: a new cadence, time or timezone moves it."""

import logging
import uuid
from datetime import datetime

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.events import CharterSaved
from bot.delivery.service import post_to_pair
from bot.meetings import keys, lapse, schedule
from bot.meetings.blocks.messages import series_message
from bot.meetings.recurrence_rules import RecurrenceError, Rhythm, cadence_of, describe
from bot.meetings.time_rules import first_meeting_at, rhythm_starting
from storage.models import CharterVersion, MeetingSeries, Pair
from storage.queries.meetings import series_of

log = logging.getLogger(__name__)


def follow_charter(ctx: Tandem, session: Session, event: CharterSaved) -> None:
    """On every charter save: the series follows the new version (see below)."""
    sync_series_from_charter(ctx, session, event.pair, event.version, event.now)


def _same_rhythm(series: MeetingSeries, rhythm: Rhythm) -> bool:
    """Whether the charter's rhythm is the series' (only the first date may differ)."""
    current = schedule.rhythm_of(series)
    return (
        current.timezone == rhythm.timezone
        and current.local_start.time() == rhythm.local_start.time()
        and current.local_start.weekday() == rhythm.local_start.weekday()
        and cadence_of(current.rule) == cadence_of(rhythm.rule)
    )


def sync_series_from_charter(
    ctx: Tandem, session: Session, pair: Pair, charter_version: CharterVersion, now: datetime
) -> MeetingSeries | None:
    """Create or replace the pair's series from `charter_version`, once its schedule is in force.

    Same cadence, weekday, time and timezone (and no later start date): the series stays
    (only its length and charter link follow). The first meeting is on or after the
    charter's start date, so a pair starting next month is first reminded next month.
    Anything else: the rule is replaced in place (same calendar UID, higher
    SEQUENCE, so a re-imported .ics updates the event), the old rule's upcoming occurrences
    are cancelled, meetings already held keep their notes, and the pair is told the new rhythm
    in their group DM. Returns None (and stops the series) when the charter's cadence cannot
    become a schedule.
    """
    series = series_of(session, pair.id)
    try:
        rhythm = rhythm_starting(
            charter_version.cadence,
            charter_version.weekday,
            charter_version.meeting_time,
            charter_version.timezone,
            now,
            charter_version.starts_on,
        )
    except RecurrenceError as error:
        log.warning(
            "pair %s: charter v%s has no schedule: %s", pair.id, charter_version.version, error
        )
        if series is not None and series.active:
            series.active = False
            session.add(series)
            schedule.drop_future_occurrences(session, pair, now)
            schedule.refresh(session, pair, now)
        return None
    starts_later = (
        series is not None
        and charter_version.starts_on is not None
        and schedule.rhythm_of(series).local_start.date() < rhythm.local_start.date()
        and charter_version.starts_on > now.date()
    )
    if series is not None and series.active and _same_rhythm(series, rhythm) and not starts_later:
        series.charter_version_id = charter_version.id
        series.duration_minutes = charter_version.session_minutes
        session.add(series)
        return series
    if series is None:
        series = MeetingSeries(
            team_id=pair.team_id,
            pair_id=pair.id,
            uid=f"{uuid.uuid4()}@tandem",
            rrule=rhythm.rule,
            local_start=rhythm.local_start.isoformat(),
            timezone=rhythm.timezone,
            created_at=now,
        )
    else:
        schedule.drop_future_occurrences(session, pair, now)
        series.rrule, series.timezone = rhythm.rule, rhythm.timezone
        series.local_start = rhythm.local_start.isoformat()
        series.sequence += 1
        series.active = True
    series.charter_version_id = charter_version.id
    series.duration_minutes = charter_version.session_minutes
    # Nothing was due before the (new) rhythm's first meeting: the lapse clock starts there.
    first = first_meeting_at(rhythm)
    lapse.start_clock(series, max(first, pair.last_meeting_at or first))
    session.add(series)
    session.flush()
    upcoming = schedule.refresh(session, pair, now)
    first = upcoming.starts_at if upcoming else None
    _announce(session, pair, series, rhythm, first, now, ctx.settings.public_url is not None)
    return series


def _announce(
    session: Session,
    pair: Pair,
    series: MeetingSeries,
    rhythm: Rhythm,
    first: datetime | None,
    now: datetime,
    subscribe: bool,
) -> None:
    """Tell the pair, in their group DM, the rhythm Tandem will keep for them."""
    post_to_pair(
        session,
        pair,
        key=keys.series_key(pair.id, series.id, series.sequence),
        kind=keys.SERIES,
        deliver_after=now,
        or_dm_each=False,
        **series_message(pair.id, describe(rhythm), first, subscribe, schedule.zone_of(series)),
    )
