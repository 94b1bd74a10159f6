"""When a person may be messaged: quiet hours in their own timezone, and their local day.

Pure functions; the sender applies them to every outbox row that names the people it is for
(`recipient_user_id` for a DM, `audience` for a post in a conversation they share):

- Quiet hours (a workspace setting, default 20:00–08:00) hold a message until the end of the
  recipient's quiet hours. A post to several people waits until none of them is in quiet
  hours; when their waking hours never overlap it goes out when the first of them wakes.
  A message that holding would make too late to matter (its `expires_at`, e.g. a reminder
  for a meeting the person chose to hold at 07:00) is sent at once instead: a reminder
  before such a meeting beats silence.
- The daily limit counts routine DMs per person per local day (priorities are in
  bot/delivery/kinds.py). Over it, routine DMs are folded into one digest sent the next
  morning. Time-critical DMs (a meeting reminder, a proposal...) are never counted, folded
  or delayed by it. Answers (rows queued with `exempt_from_cap=True`, e.g. a snoozed nudge
  coming back) and the digest itself are counted but never folded. Posts in shared
  conversations never count.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_QUIET_START = time(20, 0)
DEFAULT_QUIET_END = time(8, 0)
# How many steps we try to find a moment when everyone in a shared conversation is awake.
_ALIGN_STEPS = 6


@dataclass(frozen=True)
class QuietHours:
    """A nightly window in each person's own timezone; start == end means none."""

    start: time = DEFAULT_QUIET_START
    end: time = DEFAULT_QUIET_END

    @property
    def enabled(self) -> bool:
        """False when the workspace switched quiet hours off (start equals end)."""
        return self.start != self.end

    def contains(self, wall: time) -> bool:
        """Whether a local wall time falls inside the window (which may wrap midnight)."""
        if not self.enabled:
            return False
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end


def _parse(text: str | None, fallback: time) -> time:
    try:
        hours, minutes = (int(part) for part in (text or "").split(":"))
        return time(hours, minutes)
    except ValueError:
        return fallback


def quiet_hours(start: str | None, end: str | None) -> QuietHours:
    """The workspace's quiet hours from its "HH:MM" settings (defaults when malformed)."""
    return QuietHours(_parse(start, DEFAULT_QUIET_START), _parse(end, DEFAULT_QUIET_END))


def _wall_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


def quiet_end(now: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime | None:
    """When quiet hours end for someone in `zone`, if it is quiet for them at `now`."""
    local = now.astimezone(zone)
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return None
    day = local.date()
    if local.time().replace(tzinfo=None) >= quiet.end:
        day += timedelta(days=1)  # evening: quiet until tomorrow morning
    return max(_wall_instant(day, quiet.end, zone), now)


def release_time(now: datetime, zones: list[ZoneInfo], quiet: QuietHours) -> datetime:
    """The first instant at or after `now` when nobody in `zones` is in quiet hours."""
    return release_time_each(now, [(zone, quiet) for zone in zones])


def release_time_each(now: datetime, people: list[tuple[ZoneInfo, QuietHours]]) -> datetime:
    """The same, when each person keeps their own quiet hours (their own, or the workspace's)."""
    candidate = now
    for _ in range(_ALIGN_STEPS):
        later = [end for zone, quiet in people if (end := quiet_end(candidate, zone, quiet))]
        if not later:
            return candidate
        candidate = max(later)
    # Waking hours that never overlap: the first moment someone is awake.
    ends = [quiet_end(now, zone, quiet) for zone, quiet in people]
    return min((end for end in ends if end is not None), default=now) if all(ends) else now


def local_day(now: datetime, zone: ZoneInfo) -> date:
    """The recipient's calendar date at `now` (what "per day" means for the daily limit)."""
    return now.astimezone(zone).date()


def next_morning(now: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    """The end of quiet hours on the recipient's next local day (when a digest goes out)."""
    return _wall_instant(local_day(now, zone) + timedelta(days=1), quiet.end, zone)
