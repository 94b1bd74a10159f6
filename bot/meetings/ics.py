"""The pair's meetings as an iCalendar file: one recurring event, in the series' own timezone.

The UID stays the same for the life of the pair's series and SEQUENCE grows with each change
of rhythm, so importing the file again updates the calendar event instead of adding a second.
Skipped meetings are EXDATEs; a moved meeting is an override (RECURRENCE-ID) of its slot.
Nothing private goes in: no agenda, no notes. A person's subscribed feed
(bot/meetings/calendar_feed.py) is made of the same events, with the pair's end and pauses.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from storage.models import Meeting, MeetingSeries, MeetingStatus

PRODID = "-//Tandem//Mentoring meetings//EN"


def _event(
    series: MeetingSeries, title: str, now: datetime, sequence: int, details: "Details"
) -> Event:
    event = Event()
    event.add("uid", series.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", sequence)
    event.add("summary", title)
    event.add("duration", timedelta(minutes=series.duration_minutes))
    if details.modified is not None:
        event.add("last-modified", details.modified.astimezone(UTC))
    if details.description:
        event.add("description", details.description)
    return event


@dataclass(frozen=True)
class Details:
    """What a subscribed feed adds to a series' events (the one-off file has none of it)."""

    description: str | None = None  # a link back to Slack, never notes or agenda text
    until: datetime | None = None  # the pair's end: no occurrence after it
    removed: tuple[datetime, ...] = ()  # occurrences a pause takes away
    sequence: int | None = None  # None: the series' own
    modified: datetime | None = None


def series_events(
    series: MeetingSeries,
    title: str,
    meetings: list[Meeting],
    now: datetime,
    details: Details = Details(),
) -> list[Event]:
    """The recurring event for `series` and an override for each moved occurrence;
    `meetings` are the pair's rows (their skips and moves)."""
    zone = ZoneInfo(series.timezone)
    first = datetime.fromisoformat(series.local_start).replace(tzinfo=zone)
    sequence = series.sequence if details.sequence is None else details.sequence
    main = _event(series, title, now, sequence, details)
    main.add("dtstart", first)
    rule = vRecur.from_ical(series.rrule)
    if details.until is not None:
        rule["UNTIL"] = [details.until.astimezone(UTC)]  # UTC, as DTSTART has a TZID
    main.add("rrule", rule)
    gone = {slot.astimezone(UTC) for slot in details.removed}
    overrides = []
    for meeting in meetings:
        slot = meeting.occurrence_at
        if meeting.series_id != series.id or slot is None or slot < first:
            continue
        if details.until is not None and slot > details.until:
            continue
        if meeting.status in (MeetingStatus.SKIPPED, MeetingStatus.CANCELLED):
            gone.add(slot.astimezone(UTC))
        elif meeting.starts_at != slot and slot.astimezone(UTC) not in gone:
            moved = _event(series, title, now, sequence, details)
            moved.add("recurrence-id", slot.astimezone(zone))
            moved.add("dtstart", meeting.starts_at.astimezone(zone))
            overrides.append(moved)
    for slot in sorted(gone):
        main.add("exdate", [slot.astimezone(zone)])
    return [main, *overrides]


def calendar_of(events: list[Event], name: str | None = None) -> bytes:
    """An iCalendar file holding `events`, with a VTIMEZONE for each zone they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def series_calendar(
    series: MeetingSeries, title: str, meetings: list[Meeting], now: datetime
) -> bytes:
    """The .ics for `series`; `meetings` are the pair's rows (their skips and moves)."""
    return calendar_of(series_events(series, title, meetings, now))
