"""Where Tandem gets the time: the system clock in production, a pinned one in tests and demos."""

from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_or_utc(name: str | None) -> ZoneInfo:
    """The timezone called `name`, or UTC when it is empty or unknown here.

    Names come from Slack's profiles and from forms; one this machine's timezone database
    lacks, or a region such as "Europe" (a directory, an OSError), must not break a command.
    """
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return ZoneInfo("UTC")


class Clock(Protocol):
    """Anything that can say what time it is (aware, UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to; safe to share between threads."""

    def __init__(self, start: datetime) -> None:
        if start.utcoffset() is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._lock = Lock()

    def now(self) -> datetime:
        """The pinned instant."""
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        """Move the clock to `instant` (aware)."""
        if instant.utcoffset() is None:
            raise ValueError("FrozenClock needs an aware datetime")
        with self._lock:
            self._now = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by `delta` and return the new time."""
        with self._lock:
            self._now += delta
            return self._now
