"""Which meeting schedule is in force while a charter change waits for the partner.

A charter is co-signed: the author's save is their signature, the partner's acknowledgement
the second. The meeting schedule (cadence, weekday, time, timezone and start date) changes
both people's calendars, so a version that changes it takes effect only once both have signed
it; until then the schedule of the latest version both signed stands. The very first version
has nothing agreed before it, so its schedule starts at once (the partner can still ask for
changes, and a change follows their acknowledgement like any other).

Pure functions: callers pass versions (newest last) and who signed each.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


class HasSchedule(Protocol):
    """A charter version or draft: anything with the schedule's parts."""

    cadence: str
    weekday: int
    meeting_time: str
    timezone: str
    starts_on: date | None


@dataclass(frozen=True)
class Schedule:
    """The parts of a charter that decide when the pair meets."""

    cadence: str
    weekday: int
    meeting_time: str
    timezone: str
    starts_on: date | None = None


def schedule_of(version: HasSchedule) -> Schedule:
    """The schedule part of a version."""
    return Schedule(
        version.cadence,
        version.weekday,
        version.meeting_time,
        version.timezone,
        getattr(version, "starts_on", None),
    )


def schedule_changed(before: HasSchedule | None, after: HasSchedule) -> bool:
    """Whether `after` meets at other times than `before` (a first version always does)."""
    return before is None or schedule_of(before) != schedule_of(after)


@dataclass(frozen=True)
class Signed:
    """One version as the rule needs it: its schedule and whether both members signed it."""

    number: int
    schedule: Schedule
    by_both: bool


def version_in_force(versions: list[Signed]) -> Signed | None:
    """The version whose schedule the pair meets by: the latest both signed, or the first
    version when none is signed by both yet (nothing was agreed before it)."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda v: v.number)
    signed = [v for v in ordered if v.by_both]
    return signed[-1] if signed else ordered[0]


def waiting_schedule(versions: list[Signed]) -> Schedule | None:
    """The newer schedule waiting for the partner's signature, if the latest version has one."""
    if not versions:
        return None
    latest = max(versions, key=lambda v: v.number)
    in_force = version_in_force(versions)
    if in_force is None or latest.by_both or latest.schedule == in_force.schedule:
        return None
    return latest.schedule


# How far ahead a start date may be set: a mentorship that starts next year is not one yet.
LATEST_START_DAYS = 366


def start_problem(starts_on: date, today: date) -> str | None:
    """Why `starts_on` cannot be a series' start (in the past, or too far ahead), or None."""
    if starts_on < today:
        return "That date has passed. Pick today or a later day."
    if (starts_on - today).days > LATEST_START_DAYS:
        return "Pick a start within the next year."
    return None
