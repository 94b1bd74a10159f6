"""From a charter's cadence to meeting instants: RFC 5545 rules, expanded in the pair's timezone.

The rule, the local start ("wall time") and the IANA timezone are kept apart, as RFC 5545 does:
occurrences are computed as wall times in that zone and only then turned into UTC instants, so
10:00 Europe/Berlin stays 10:00 in Berlin when the clocks change.

Decisions (RFC 5545 §3.3.5, which is also what Python's `fold=0` does):
- a wall time that does not exist (02:30 on the night clocks spring forward) is read with the
  offset from before the gap, so it lands as much later as the gap is long (03:30 in Berlin);
- a wall time that happens twice (02:30 on the night clocks fall back) means the first one.

Cadences: weekly; biweekly (INTERVAL=2, in step with the first meeting); monthly on "the Nth
<weekday>" of the month, N taken from the first meeting's date (a 5th weekday, which most
months lack, becomes "the last <weekday>": BYDAY=-1MO).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

CADENCES = ("weekly", "biweekly", "monthly")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
# How far ahead we look for the next occurrence before deciding a rule never fires again.
SEARCH_LIMIT = 1000


class RecurrenceError(ValueError):
    """A cadence, weekday, time or timezone that cannot become a meeting rule."""


@dataclass(frozen=True)
class Rhythm:
    """A series as stored: RRULE (without DTSTART), first wall-clock start, IANA timezone."""

    rule: str
    local_start: datetime  # naive: wall time in `timezone`
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        """The series' timezone."""
        return ZoneInfo(self.timezone)


def parse_time(text: str) -> time:
    """ "HH:MM" as a time; RecurrenceError for anything else."""
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hours, minutes)
    except (ValueError, TypeError):
        raise RecurrenceError(f"“{text}” is not a time of day like 10:00") from None


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name`; RecurrenceError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a directory
        raise RecurrenceError(f"“{name}” is not a timezone") from None


def first_day(weekday: int, on_or_after: date) -> date:
    """The first date on or after `on_or_after` that falls on `weekday` (0 = Monday)."""
    return on_or_after + timedelta(days=(weekday - on_or_after.weekday()) % 7)


def nth_weekday_of_month(day: date) -> int:
    """Which occurrence of its weekday `day` is in its month: 1..4, or -1 for a 5th."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def cadence_rule(cadence: str, weekday: int, first: date) -> str:
    """The RRULE (no DTSTART) for `cadence` on `weekday`, in step with the first meeting."""
    if not 0 <= weekday <= 6:
        raise RecurrenceError(f"weekday {weekday} is not 0 (Monday) to 6 (Sunday)")
    code = WEEKDAY_CODES[weekday]
    if cadence == "weekly":
        return f"FREQ=WEEKLY;INTERVAL=1;BYDAY={code}"
    if cadence == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={code}"
    if cadence == "monthly":
        return f"FREQ=MONTHLY;INTERVAL=1;BYDAY={nth_weekday_of_month(first):+d}{code}"
    raise RecurrenceError(f"“{cadence}” is not one of {', '.join(CADENCES)}")


FIRST_MEETING_LEAD = timedelta(hours=12)


def rhythm_for(
    cadence: str, weekday: int, meeting_time: str, timezone: str, now: datetime
) -> Rhythm:
    """The series a charter describes, starting with the first matching slot at least
    FIRST_MEETING_LEAD after `now` (a charter saved an hour before "today's" slot starts next
    time round, so there is room for reminders and to prepare)."""
    zone = zone_named(timezone)
    at = parse_time(meeting_time)
    today = now.astimezone(zone).date()
    day = first_day(weekday, today)
    while to_instant(datetime.combine(day, at), zone) < now + FIRST_MEETING_LEAD:
        day = first_day(weekday, day + timedelta(days=1))
    return Rhythm(cadence_rule(cadence, weekday, day), datetime.combine(day, at), timezone)


def to_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall time `wall` in `zone` (gap: offset before it; overlap: first)."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _expand(rhythm: Rhythm) -> rrule:
    try:
        rule = rrulestr(rhythm.rule, dtstart=rhythm.local_start)
    except (ValueError, TypeError) as error:
        raise RecurrenceError(f"“{rhythm.rule}” is not a recurrence rule: {error}") from None
    if not isinstance(rule, rrule):
        raise RecurrenceError(f"“{rhythm.rule}” must be a single RRULE")
    return rule


def occurrences_after(rhythm: Rhythm, after: datetime, count: int = 1) -> list[datetime]:
    """The next `count` occurrences strictly after instant `after`, as UTC instants."""
    zone = rhythm.zone
    # Start a day early in wall time: offsets differ by hours, never by a day.
    wall_from = max(after.astimezone(zone).replace(tzinfo=None) - timedelta(days=1), datetime.min)
    found: list[datetime] = []
    for index, wall in enumerate(_expand(rhythm).xafter(wall_from, inc=True)):
        instant = to_instant(wall, zone)
        if instant > after:
            found.append(instant)
            if len(found) == count:
                break
        if index > SEARCH_LIMIT:
            break
    return found


def next_occurrence(rhythm: Rhythm, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after`, or None if the rule has ended."""
    found = occurrences_after(rhythm, after, 1)
    return found[0] if found else None


def previous_occurrence(rhythm: Rhythm, occurrence: datetime) -> datetime | None:
    """The occurrence before `occurrence` (an instant of the series), or None for the first."""
    zone = rhythm.zone
    # At most one occurrence a day: anything before this local day is an earlier one (a wall
    # time pushed past a spring-forward gap is still on its own day).
    day_start = datetime.combine(occurrence.astimezone(zone).date(), time(0))
    wall = _expand(rhythm).before(day_start, inc=False)
    return to_instant(wall, zone) if wall is not None else None


def _parts(rule: str) -> tuple[str, int]:
    """(FREQ, INTERVAL) of a rule we wrote."""
    parts = dict(part.split("=", 1) for part in rule.removeprefix("RRULE:").split(";") if part)
    return parts.get("FREQ", ""), int(parts.get("INTERVAL", "1"))


def cadence_period(rule: str) -> relativedelta:
    """How long one cadence step lasts (for "no meeting for twice the cadence")."""
    freq, interval = _parts(rule)
    if freq == "MONTHLY":
        return relativedelta(months=interval)
    if freq == "WEEKLY":
        return relativedelta(weeks=interval)
    return relativedelta(days=interval)


def cadence_of(rule: str) -> str:
    """Which charter cadence a rule we wrote stands for."""
    freq, interval = _parts(rule)
    if freq == "MONTHLY":
        return "monthly"
    return "biweekly" if interval == 2 else "weekly"


def describe(rhythm: Rhythm) -> str:
    """The rhythm in words: "every other Monday at 10:00 (Europe/Berlin)"."""
    freq, interval = _parts(rhythm.rule)
    weekday = WEEKDAY_NAMES[rhythm.local_start.weekday()]
    at = rhythm.local_start.strftime("%H:%M")
    if freq == "MONTHLY":
        n = nth_weekday_of_month(rhythm.local_start.date())
        when = f"the {ORDINALS[n]} {weekday} of each month"
    elif interval == 2:
        when = f"every other {weekday}"
    else:
        when = f"every {weekday}"
    return f"{when} at {at} ({rhythm.timezone})"
