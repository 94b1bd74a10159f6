"""A pair's meeting rhythm in a few lines, for `/tandem status` and the App Home."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core import slack_time
from bot.core.membership import Membership
from bot.meetings.recurrence_rules import describe
from bot.meetings.schedule import rhythm_of
from storage.models import Meeting, MeetingSeries, Pair, PairStatus
from storage.queries.agenda import open_agenda_counts
from storage.queries.meetings import next_meetings, series_of_pairs


def _day(instant: datetime) -> str:
    stamp = int(instant.astimezone(UTC).timestamp())
    return f"<!date^{stamp}^{{date_long_pretty}}|{instant:%-d %B %Y}>"


def next_meeting_line(session: Session, membership: Membership, now: datetime) -> list[str]:
    """mrkdwn lines about the pair's meetings, for one of its members (times render in the
    reader's own timezone). Nothing private: counts of agenda items, never their text."""
    return next_meeting_lines(session, [membership], now)[membership.pair.id or 0]


def next_meeting_lines(
    session: Session, memberships: list[Membership], now: datetime
) -> dict[int, list[str]]:
    """`next_meeting_line` for each of a person's pairs, read in three statements."""
    ids = [m.pair.id or 0 for m in memberships]
    series = series_of_pairs(session, ids)
    upcoming = next_meetings(session, ids, now)
    agenda = open_agenda_counts(session, ids)
    return {
        m.pair.id or 0: _lines(
            m.pair,
            series.get(m.pair.id or 0),
            upcoming.get(m.pair.id or 0),
            agenda,
            slack_time.zone_named(m.me.tz),
        )
        for m in memberships
    }


def _lines(
    pair: Pair,
    series: MeetingSeries | None,
    upcoming: Meeting | None,
    agenda: dict[int, int],
    zone: ZoneInfo,  # the reader's, for the fallbacks
) -> list[str]:
    if pair.status == PairStatus.PAUSED:
        until = f" until {_day(pair.paused_until)}" if pair.paused_until else ""
        return [f"Meetings paused{until}. `/tandem resume` turns nudges back on."]
    lines = []
    if upcoming is not None:
        moved = " (moved)" if upcoming.occurrence_at not in (None, upcoming.starts_at) else ""
        lines.append(f"Next meeting: {slack_time.when(upcoming.starts_at, zone)}{moved}")
    if series is not None:
        lines.append(f"Rhythm: {describe(rhythm_of(series))}")
    elif upcoming is None:
        lines.append(
            "No meetings scheduled yet: set a cadence in your charter (`/tandem charter`)."
        )
    items = agenda.get(pair.id or 0, 0)
    if items:
        lines.append(f"Agenda: {items} item{'s' if items != 1 else ''} so far")
    if pair.last_meeting_at is not None:
        lines.append(f"Last met: {_day(pair.last_meeting_at)}")
    return lines
