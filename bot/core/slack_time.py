"""Times as Slack shows them: each reader sees an instant in their own timezone and clock.

Slack renders `<!date^EPOCH^FORMAT|fallback>` in message text and in mrkdwn blocks (sections,
context) in each reader's own timezone, 12- or 24-hour as they chose. Where it is not rendered
(notifications, plain_text fields such as headers, buttons and modal inputs, some clients) the
fallback shows, so the fallback names its zone: "Mon 8 Mar, 14:00 Europe/Berlin". Every time
Tandem shows in mrkdwn goes through here (tests/core/test_slack_time.py scans real messages).

In plain_text fields the token would show raw: use `plain_when`, which is the fallback text.
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_ZONE = ZoneInfo("UTC")
# A token, and a clock time ("14:00", "9:30") that is not part of one (for the scanning test).
TOKEN = re.compile(r"<!date\^\d+\^[^|>]*\|[^>]*>")
CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")


def _stamp(instant: datetime) -> int:
    return int(instant.astimezone(UTC).timestamp())


def _zone(zone: ZoneInfo | None) -> ZoneInfo:
    return zone or UTC_ZONE


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA zone `name` for a fallback (a reader's Slack timezone), UTC when unknown."""
    try:
        return ZoneInfo(name) if name else UTC_ZONE
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC_ZONE


def plain_when(instant: datetime, zone: ZoneInfo | None = None) -> str:
    """ "Mon 8 Mar, 14:00 Europe/Berlin": the instant in `zone` (UTC by default), naming it."""
    zone = _zone(zone)
    local = instant.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {zone.key}"


def plain_clock(instant: datetime, zone: ZoneInfo | None = None, name_zone: bool = True) -> str:
    """ "14:00 Europe/Berlin": the time of day in `zone`, naming it (unless a time just before
    in the same sentence did)."""
    zone = _zone(zone)
    local = f"{instant.astimezone(zone):%H:%M}"
    return f"{local} {zone.key}" if name_zone else local


def when(instant: datetime, zone: ZoneInfo | None = None) -> str:
    """Day and time for each reader ("Mar 8 at 2:00 PM", "today at 14:00"); the fallback in
    `zone` (the reader's, when the message has one reader; UTC by default)."""
    return (
        f"<!date^{_stamp(instant)}^{{date_short_pretty}} at {{time}}|{plain_when(instant, zone)}>"
    )


def day(instant: datetime, zone: ZoneInfo | None = None) -> str:
    """The date alone, for each reader ("Apr 6, 2026"); fallback "6 Apr 2026" in `zone`."""
    local = instant.astimezone(_zone(zone))
    return f"<!date^{_stamp(instant)}^{{date_short}}|{local.day} {local:%b %Y}>"


def clock(instant: datetime, zone: ZoneInfo | None = None, name_zone: bool = True) -> str:
    """The time of day alone, for each reader ("2:00 PM"); fallback "14:00 Europe/Berlin"."""
    return f"<!date^{_stamp(instant)}^{{time}}|{plain_clock(instant, zone, name_zone)}>"


def bare_clock_times(mrkdwn: str) -> list[str]:
    """Clock times in `mrkdwn` that are not inside a date token (what the scanner looks for)."""
    return CLOCK.findall(TOKEN.sub("", mrkdwn))
