"""Meeting time as people say it and as a series keeps it: reading a date someone typed,
saying when a meeting is, and when a charter's series begins.

Dates are typed as "2026-04-01", "april 1", "1 Apr" or "April 1 2027", read in the person's own
calendar. A meeting is said with Slack's date token (bot/core/slack_time.py); `local_when` is for a
partner's wall time, which names their zone. A pair
that agrees in March to start in April gets its first reminder in April: the series' first
occurrence is the first matching slot on or after the charter's start date (and never
sooner than FIRST_MEETING_LEAD from now, so there is room to prepare and to be reminded).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser

from bot.core.results import Refused
from bot.meetings.recurrence_rules import (
    Rhythm,
    cadence_rule,
    first_day,
    parse_time,
    rhythm_for,
    to_instant,
    zone_named,
)

HINT = "Try a date like `2026-04-01` or `april 1`."


def parse_day(text: str, today: date) -> date | Refused:
    """The date `text` names, read in the person's calendar (`today` is their local date).

    Without a year, the next such date is meant ("april 1" in May is next April).
    """
    text = " ".join((text or "").replace(",", " ").split())
    if not text:
        return Refused(f"Which date? {HINT}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if not any(ch.isalpha() for ch in text):
        # "4/1" is April 1 in one country and January 4 in another: ask for a clear form.
        return Refused(f"I couldn't read “{text[:40]}” as a date. {HINT}")
    try:
        first = parser.parse(text, default=datetime(2000, 1, 1), dayfirst=False)
        second = parser.parse(text, default=datetime(2004, 2, 2), dayfirst=False)
    except (ValueError, OverflowError, parser.ParserError):
        return Refused(f"I couldn't read “{text[:40]}” as a date. {HINT}")
    if first.month != second.month or first.day != second.day:
        return Refused(f"“{text[:40]}” needs a month and a day. {HINT}")
    if first.year == second.year:
        return first.date()
    guess = first.date().replace(year=today.year) if _valid(first, today.year) else None
    if guess is None or guess <= today:
        year = today.year + 1
        if not _valid(first, year):
            return Refused(f"“{text[:40]}” isn't a date in the coming year. {HINT}")
        guess = first.date().replace(year=year)
    return guess


def _valid(parsed: datetime, year: int) -> bool:
    try:
        parsed.date().replace(year=year)
    except ValueError:  # 29 February
        return False
    return True


def local_when(instant: datetime, zone: ZoneInfo) -> str:
    """ "Monday 9 March at 10:00" in `zone` (for a DM to someone whose zone we know)."""
    local = instant.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def offset_phrase(minutes: int) -> str:
    """ "1 day", "1 hour", "15 minutes", "2 days and 3 hours"."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'s' if n != 1 else ''}"
        for n, unit in ((days, "day"), (hours, "hour"), (mins, "minute"))
        if n
    ]
    return " and ".join(parts) or "0 minutes"


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day in `zone`, as UTC instants (23 or 25 h on DST days)."""
    start = datetime.combine(day, time(0)).replace(tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0)).replace(tzinfo=zone).astimezone(UTC)
    return start, end


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
