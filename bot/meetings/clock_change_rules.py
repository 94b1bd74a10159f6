"""When a clock change moves someone's meeting: which occurrence, for whom, from what to what.

A series keeps its wall time in its own zone (16:00 in Berlin stays 16:00 in Berlin), so when
the series' zone or a member's zone changes its clocks and the other does not (Berlin and New
York change three weeks apart, Tokyo never), the meeting moves on that member's clock. The
member is told once, before the first moved meeting: the occurrence whose local time for them
differs from the last one they knew of. That is the last occurrence held or still expected (or
a skipped one whose reminder reached them), not merely the one before in the rule: when the
first moved occurrence is skipped or cancelled before its reminder, or a pause spans the
change, the first meeting that does take place carries the notice. The next one is at the
same new time as this one, so nothing more is said until the clocks change again.

Only occurrences still at their series slot are looked at: a meeting the pair moved by hand is
at the time they chose, and its own notice said so. The first occurrence of a series has none
before it, so it is never a "moved" one.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.meetings.recurrence_rules import Rhythm, previous_occurrence


@dataclass(frozen=True)
class ClockChange:
    """A member's meeting moved by a clock change: before and after, and which zones changed."""

    before: datetime  # the previous occurrence (UTC instant)
    after: datetime  # this occurrence (UTC instant)
    zone: ZoneInfo  # the member's zone, in which it moved
    changed: tuple[tuple[str, date], ...]  # (IANA zone, the local day its clocks changed)

    @property
    def old_local(self) -> datetime:
        """The previous occurrence on the member's clock."""
        return self.before.astimezone(self.zone)

    @property
    def new_local(self) -> datetime:
        """This occurrence on the member's clock."""
        return self.after.astimezone(self.zone)


def _change_day(zone: ZoneInfo, start: datetime, end: datetime) -> date:
    """The local day in `zone` on which its UTC offset changed between `start` and `end`."""
    lo, hi = start, end
    goal = end.astimezone(zone).utcoffset()
    while hi - lo > timedelta(minutes=30):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == goal:
            hi = mid
        else:
            lo = mid
    return hi.astimezone(zone).date()


def last_known(
    kept: datetime | None,
    skipped: list[tuple[datetime, set[str]]],
    user_id: str,
    first: datetime,
    occurrence: datetime,
) -> datetime | None:
    """The occurrence (before `occurrence`) whose time `user_id` last knew: the latest one
    `kept` (held or still expected), or a later skipped one whose reminder reached them; with
    neither, the series' `first`, which its announcement named. None: nothing before it.
    Occurrences of an earlier rule (before `first`) were at another time by choice: not ours."""
    known = [at for at, told in skipped if user_id in told and first <= at < occurrence]
    if kept is not None and first <= kept < occurrence:
        known.append(kept)
    if known:
        return max(known)
    return first if first < occurrence else None


def clock_change(
    rhythm: Rhythm,
    occurrence: datetime,
    member_zone: ZoneInfo,
    before: datetime | None = None,
) -> ClockChange | None:
    """How a clock change moved `occurrence` on `member_zone`'s clock since `before` (the
    occurrence the member last knew of; by default the one before it in the rule); None when
    it is at the same local time (or nothing came before it)."""
    if before is None:
        before = previous_occurrence(rhythm, occurrence)
    if before is None or before >= occurrence:
        return None
    old, new = before.astimezone(member_zone), occurrence.astimezone(member_zone)
    if (old.time(), old.weekday()) == (new.time(), new.weekday()):
        return None
    changed = []
    for zone in dict.fromkeys((rhythm.zone, member_zone)):
        if before.astimezone(zone).utcoffset() != occurrence.astimezone(zone).utcoffset():
            changed.append((zone.key, _change_day(zone, before, occurrence)))
    if not changed:  # a moved wall time without a clock change is not ours to explain
        return None
    return ClockChange(before, occurrence, member_zone, tuple(changed))


def place_name(zone_key: str) -> str:
    """How people call a zone: "Europe/Berlin" → "Berlin", "America/New_York" → "New York"."""
    return zone_key.rsplit("/", 1)[-1].replace("_", " ")


def why(change: ClockChange) -> str:
    """ "Berlin changed its clocks on 29 March" (and the other zone, when both did)."""
    (first, on), *rest = change.changed
    said = f"{place_name(first)} changed its clocks on {on.day} {on:%B}"
    for other, day in rest:
        said += f" and {place_name(other)} on {day.day} {day:%B}"
    return said
