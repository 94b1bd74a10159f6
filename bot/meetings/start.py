"""When a charter's meeting series begins: its start date, or by default the next slot.

A pair that agrees in March to start in April gets its first reminder in April: the series'
first occurrence is the first matching slot on or after the charter's start date (and never
sooner than FIRST_MEETING_LEAD from now, so there is room to prepare and to be reminded).
"""

from datetime import date, datetime

from bot.meetings.recurrence import (
    Rhythm,
    cadence_rule,
    first_day,
    parse_time,
    rhythm_for,
    to_instant,
    zone_named,
)


def rhythm_starting(
    cadence: str,
    weekday: int,
    meeting_time: str,
    timezone: str,
    now: datetime,
    starts_on: date | None = None,
) -> Rhythm:
    """The series a charter describes, its first meeting on or after `starts_on` (when given
    and later than the next slot). RecurrenceError when the charter cannot become a rule."""
    soonest = rhythm_for(cadence, weekday, meeting_time, timezone, now)
    if starts_on is None or starts_on <= soonest.local_start.date():
        return soonest
    day = first_day(weekday, starts_on)
    return Rhythm(
        cadence_rule(cadence, weekday, day),
        datetime.combine(day, parse_time(meeting_time)),
        timezone,
    )


def default_start(
    cadence: str, weekday: int, meeting_time: str, timezone: str, now: datetime
) -> date:
    """The date the start-date field offers: the next matching slot, in the series' timezone."""
    return rhythm_for(cadence, weekday, meeting_time, timezone, now).local_start.date()


def first_meeting_at(rhythm: Rhythm) -> datetime:
    """The UTC instant of the series' first occurrence."""
    return to_instant(rhythm.local_start, zone_named(rhythm.timezone))
