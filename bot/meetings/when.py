"""Saying when a meeting is: in the reader's own timezone, or with Slack's date token."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_when(instant: datetime, zone: ZoneInfo) -> str:
    """ "Monday 9 March at 10:00" in `zone` (for a DM to someone whose zone we know)."""
    local = instant.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def slack_date(instant: datetime) -> str:
    """Slack's date token: every reader sees it in their own timezone (fallback in UTC)."""
    fallback = local_when(instant, ZoneInfo("UTC")) + " UTC"
    stamp = int(instant.astimezone(UTC).timestamp())
    return f"<!date^{stamp}^{{date_long_pretty}} at {{time}}|{fallback}>"


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
