"""The pair's meetings as an iCalendar file: one recurring event, in the series' own timezone.

The UID stays the same for the life of the pair's series and SEQUENCE grows with each change
of rhythm, so importing the file again updates the calendar event instead of adding a second.
Skipped meetings are EXDATEs; a moved meeting is an override (RECURRENCE-ID) of its slot.
Nothing private goes in: no agenda, no notes.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from storage.models import Meeting, MeetingSeries, MeetingStatus

PRODID = "-//Tandem//Mentoring meetings//EN"


def _event(series: MeetingSeries, title: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", series.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", series.sequence)
    event.add("summary", title)
    event.add("duration", timedelta(minutes=series.duration_minutes))
    return event


def series_calendar(
    series: MeetingSeries, title: str, meetings: list[Meeting], now: datetime
) -> bytes:
    """The .ics for `series`; `meetings` are the pair's rows (their skips and moves)."""
    zone = ZoneInfo(series.timezone)
    first = datetime.fromisoformat(series.local_start).replace(tzinfo=zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    main = _event(series, title, now)
    main.add("dtstart", first)
    main.add("rrule", vRecur.from_ical(series.rrule))
    overrides = []
    for meeting in meetings:
        slot = meeting.occurrence_at
        if meeting.series_id != series.id or slot is None or slot < first:
            continue
        local_slot = slot.astimezone(zone)
        if meeting.status in (MeetingStatus.SKIPPED, MeetingStatus.CANCELLED):
            main.add("exdate", [local_slot])
        elif meeting.starts_at != slot:
            moved = _event(series, title, now)
            moved.add("recurrence-id", local_slot)
            moved.add("dtstart", meeting.starts_at.astimezone(zone))
            overrides.append(moved)
    calendar.add_component(main)
    for moved in overrides:
        calendar.add_component(moved)
    calendar.add_missing_timezones()
    return calendar.to_ical()
