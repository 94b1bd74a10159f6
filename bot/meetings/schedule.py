"""The pair's calendar: which occurrences exist as meeting rows and when their nudges are due.

Rows are made lazily: the next occurrence of the series (and the one after, when the next was
moved past it or skipped), never a long horizon, so a change of cadence has little to undo.
Each meeting's `next_nudge_at` is the earliest reminder or follow-up still to come; the
scheduler looks only at rows where that time has come.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.reminder_choice import any_offsets
from bot.delivery.service import cancel_pending
from bot.meetings import keys
from bot.meetings.recurrence_rules import Rhythm, next_occurrence, zone_named
from storage.models import Meeting, MeetingSeries, MeetingStatus, Pair
from storage.queries.meetings import (
    active_series,
    insert_occurrence,
    next_meeting,
    scheduled_after,
    series_of,
    upcoming_meetings,
)

# "Did you meet?" is still worth asking for a week; a reminder after the start is noise.
FOLLOWUP_LATENESS = timedelta(days=7)
# When neither member answered, "did you meet?" is asked once more a day later, then never.
REASK_AFTER = timedelta(days=1)
LOOKAHEAD = 4


def rhythm_of(series: MeetingSeries) -> Rhythm:
    """The recurrence a stored series describes."""
    return Rhythm(series.rrule, datetime.fromisoformat(series.local_start), series.timezone)


def zone_of(series: MeetingSeries | None) -> ZoneInfo | None:
    """The series' zone: what times said in the pair's group DM fall back to (named), where
    Slack does not render its date token for the reader (None: no series, UTC)."""
    return zone_named(series.timezone) if series is not None else None


def pair_zone(session: Session, pair_id: int | None) -> ZoneInfo | None:
    """The zone of the pair's series (running or stopped), for times said to the pair."""
    return zone_of(series_of(session, pair_id or 0))


def followup_at(meeting: Meeting) -> datetime:
    """When the meeting should be over, and "did you meet?" may be asked."""
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


def reask_at(meeting: Meeting) -> datetime:
    """When "did you meet?" is asked again if neither member has answered."""
    return followup_at(meeting) + REASK_AFTER


def nudge_times(meeting: Meeting, offsets: list[int]) -> list[datetime]:
    """Every reminder (offsets are minutes before the start), the follow-up and its one
    re-ask, in order."""
    reminders = [meeting.starts_at - timedelta(minutes=offset) for offset in offsets]
    return sorted([*reminders, followup_at(meeting), reask_at(meeting)])


def next_nudge(
    meeting: Meeting, offsets: list[int], now: datetime, *, inclusive: bool = False
) -> datetime | None:
    """The first nudge after `now` (or at it, when `inclusive`); None when all are past.

    `offsets` are the pair's; a member may have chosen other reminders for themselves, so
    every reminder time someone may get is looked at (the producer sends each person theirs).
    """
    times = nudge_times(meeting, any_offsets(offsets))
    later = [t for t in times if t > now or (inclusive and t == now)]
    return later[0] if later else None


def _occurrence_row(pair: Pair, series: MeetingSeries, at: datetime, now: datetime) -> Meeting:
    meeting = Meeting(
        team_id=pair.team_id,
        pair_id=pair.id,
        series_id=series.id,
        occurrence_at=at,
        starts_at=at,
        duration_minutes=series.duration_minutes,
        created_at=now,
    )
    meeting.next_nudge_at = next_nudge(meeting, pair.reminder_offsets, now, inclusive=True)
    return meeting


def _materialise(session: Session, pair: Pair, series: MeetingSeries, now: datetime) -> None:
    rhythm = rhythm_of(series)
    after = now
    for _ in range(LOOKAHEAD):
        at = next_occurrence(rhythm, after)
        if at is None:
            return
        row = insert_occurrence(session, _occurrence_row(pair, series, at, now))
        if row.status == MeetingStatus.CANCELLED:
            # Cadence changed away and back: the occurrence exists again.
            row.status = MeetingStatus.SCHEDULED
            row.series_id, row.starts_at = series.id, at
            row.duration_minutes = series.duration_minutes
            row.revision += 1
            row.next_nudge_at = next_nudge(row, pair.reminder_offsets, now, inclusive=True)
            session.add(row)
        following = next_occurrence(rhythm, at)
        if row.status == MeetingStatus.SCHEDULED and (
            following is None or row.starts_at <= following
        ):
            return
        after = at


def refresh(session: Session, pair: Pair, now: datetime) -> Meeting | None:
    """Make sure the pair's next occurrence exists; set `pair.next_meeting_at` (and
    `next_schedule_at`, when to look again); return it."""
    series = active_series(session, pair.id)
    if series is not None:
        _materialise(session, pair, series, now)
    upcoming = next_meeting(session, pair.id, now)
    pair.next_meeting_at = upcoming.starts_at if upcoming else None
    # Once it begins, the occurrence after it is made (produce_meeting_schedule).
    pair.next_schedule_at = pair.next_meeting_at
    session.add(pair)
    return upcoming


def withdraw_nudges(session: Session, meeting: Meeting) -> None:
    """Cancel the meeting's reminders and follow-up that are queued but not yet sent."""
    for kind in (keys.REMINDER, keys.FOLLOWUP):
        cancel_pending(session, meeting.pair_id, key_prefix=keys.meeting_prefix(kind, meeting))


def move(
    session: Session, pair: Pair, meeting: Meeting, starts_at: datetime, now: datetime
) -> None:
    """Move one meeting to `starts_at`: fresh reminders and follow-up for the new time."""
    withdraw_nudges(session, meeting)
    meeting.starts_at = starts_at
    meeting.status = MeetingStatus.SCHEDULED
    meeting.revision += 1
    meeting.next_nudge_at = next_nudge(meeting, pair.reminder_offsets, now, inclusive=True)
    session.add(meeting)
    session.flush()
    refresh(session, pair, now)


def close(session: Session, meeting: Meeting, status: str) -> None:
    """Mark a meeting met, skipped or cancelled: nothing more is sent about it."""
    withdraw_nudges(session, meeting)
    meeting.status = status
    meeting.next_nudge_at = None
    session.add(meeting)


def drop_future_occurrences(session: Session, pair: Pair, now: datetime) -> None:
    """Before a new rule takes over: cancel the old rule's upcoming occurrences.

    A meeting the pair moved by hand was agreed between them; it stays, detached from the
    series, as a one-off.
    """
    for meeting in scheduled_after(session, pair.id, now):
        if meeting.starts_at != meeting.occurrence_at:
            meeting.series_id, meeting.occurrence_at = None, None
            session.add(meeting)
        else:
            close(session, meeting, MeetingStatus.CANCELLED)
    session.flush()


def set_reminder_offsets(session: Session, pair: Pair, offsets: list[int], now: datetime) -> None:
    """Change when both members are reminded, for every upcoming meeting."""
    pair.reminder_offsets = sorted(set(offsets), reverse=True)  # reassigned: JSON is not tracked
    pair.updated_at = now
    session.add(pair)
    for meeting in upcoming_meetings(session, pair.id, now):
        meeting.next_nudge_at = next_nudge(meeting, pair.reminder_offsets, now, inclusive=True)
        session.add(meeting)
