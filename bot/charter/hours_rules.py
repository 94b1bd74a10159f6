"""Whether a charter's meeting slot is a fair hour for both members.

A slot is unsocial for someone when it starts before 08:00 or after 19:00 on their own clock:
outside a working day, not only in the middle of the night (a 07:00 call before school runs
or a 21:00 one after dinner is a cost too). The slot looked at is the next one the charter
describes, so the answer is right for the season it is saved in; a clock change later is
told before the meeting it moves (bot/meetings/clock_change_rules.py).
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

WORKDAY_STARTS, WORKDAY_ENDS = time(8, 0), time(19, 0)


def next_slot(weekday: int, meeting_time: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The next `weekday` at `meeting_time` in `zone` (today's counts); None when the time
    cannot be read."""
    try:
        hour, minute = (int(part) for part in meeting_time.split(":"))
        at = time(hour, minute)
    except ValueError:
        return None
    today = now.astimezone(zone).date()
    return datetime.combine(today + timedelta(days=(weekday - today.weekday()) % 7), at, zone)


def outside_working_hours(slot: datetime, zone: ZoneInfo) -> bool:
    """Whether `slot` starts before 08:00 or after 19:00 on `zone`'s clock."""
    local = slot.astimezone(zone).time()
    return local < WORKDAY_STARTS or local > WORKDAY_ENDS
