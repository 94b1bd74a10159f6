"""What happened to a meeting: met (with notes), skipped, moved, or logged off-schedule.

Every function takes the asker's Membership, already checked against the meeting's pair;
repeated or late clicks are harmless (met twice is still met; a skipped meeting can still be
marked met when someone clicked the wrong button).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.core.membership import Membership
from bot.core.results import FieldErrors, MessageEdit, Refused
from bot.meetings import keys, lapse, schedule
from bot.meetings.blocks.messages import logged_line, moved_line, skipped_line
from bot.meetings.blocks.modals import (
    ACTIONS_BLOCK,
    DATE_BLOCK,
    DISCUSSED_BLOCK,
    LESSON_BLOCK,
    NOTE_LIMITS,
    PRIVATE_BLOCK,
)
from bot.meetings.members import name_of, tell_members
from bot.meetings.notes import NoteParts, save_parts
from storage.models import Meeting, MeetingStatus
from storage.queries.agenda import open_agenda
from storage.queries.followups import sent_messages
from storage.queries.meetings import active_series, scheduled_on_day

LATEST_MOVE = timedelta(days=366)


def followup_edits(
    session: Session, meeting: Meeting, content: dict[str, Any]
) -> tuple[MessageEdit, ...]:
    """Every "did you meet?" about `meeting` already posted (the first ask and, when it went
    out, the re-ask), brought to `content`: whichever was answered, none keeps its buttons."""
    return tuple(
        MessageEdit(row.sent_channel, row.sent_ts, content["text"], content.get("blocks"))
        for row in sent_messages(session, keys.followup_keys_ever(meeting))
        if row.sent_channel and row.sent_ts
    )


@dataclass(frozen=True)
class Notes:
    """What the pair wrote about a meeting."""

    discussed: str = ""
    lesson: str = ""
    next_actions: str = ""
    focus_areas: tuple[str, ...] = ()
    private: str = ""  # the writer's own private notes


def _record_met(session: Session, membership: Membership, meeting: Meeting, now: datetime) -> None:
    pair = membership.pair
    schedule.close(session, meeting, MeetingStatus.MET)
    meeting.logged_by_id, meeting.logged_at = membership.me.id, now
    if pair.last_meeting_at is None or meeting.starts_at > pair.last_meeting_at:
        pair.last_meeting_at = meeting.starts_at
    # A kept meeting may make a streak: the scheduler looks (once it has begun).
    check = max(now, meeting.starts_at)
    pair.streak_check_at = min(pair.streak_check_at, check) if pair.streak_check_at else check
    session.add(pair)
    session.flush()
    for item in open_agenda(session, pair.id):
        if item.created_at <= now:
            item.meeting_id = meeting.id
            session.add(item)
    series = active_series(session, pair.id)
    if series is not None:
        lapse.start_clock(series, meeting.starts_at)
        session.add(series)
    schedule.refresh(session, pair, now)


def mark_met(
    session: Session, membership: Membership, meeting: Meeting, now: datetime
) -> Meeting | Refused:
    """The pair met: record it (once), carry the agenda over, restart the lapse clock."""
    if meeting.status == MeetingStatus.MET:
        return meeting
    if meeting.status == MeetingStatus.CANCELLED:
        return Refused("That meeting was taken off the schedule. Log it with `/tandem log`.")
    if meeting.starts_at > now:
        return Refused("That meeting hasn't started yet, so I can't mark it as met.")
    _record_met(session, membership, meeting, now)
    return meeting


def mark_skipped(
    session: Session, membership: Membership, meeting: Meeting, now: datetime
) -> Meeting | Refused:
    """The meeting will not (or did not) happen; tell the partner when it is skipped ahead."""
    if meeting.status == MeetingStatus.SKIPPED:
        return meeting
    if meeting.status == MeetingStatus.MET:
        return Refused("That meeting is already marked as met, and its notes are kept.")
    if meeting.status == MeetingStatus.CANCELLED:
        return Refused("That meeting was already taken off the schedule.")
    ahead = meeting.starts_at > now
    schedule.close(session, meeting, MeetingStatus.SKIPPED)
    session.flush()
    upcoming = schedule.refresh(session, membership.pair, now)
    if ahead:
        line = skipped_line(
            meeting.starts_at,
            name_of(membership.me),
            upcoming.starts_at if upcoming else None,
            schedule.pair_zone(session, membership.pair.id),
        )
        tell_members(session, membership.pair, keys.skipped_key(meeting), keys.SKIPPED, line, now)
    return meeting


def move_meeting(
    session: Session, membership: Membership, meeting: Meeting, starts_at: datetime, now: datetime
) -> Meeting | FieldErrors | Refused:
    """Move one meeting (only this occurrence) to `starts_at`, and tell the pair."""
    if meeting.status in (MeetingStatus.MET, MeetingStatus.CANCELLED):
        return Refused("That meeting is already done with, so it can't be moved.")
    if starts_at <= now:
        return FieldErrors({DATE_BLOCK: "That time has already passed. Pick a later one."})
    if starts_at - now > LATEST_MOVE:
        return FieldErrors({DATE_BLOCK: "Pick a time within the next year."})
    schedule.move(session, membership.pair, meeting, starts_at, now)
    line = moved_line(
        starts_at, name_of(membership.me), schedule.pair_zone(session, meeting.pair_id)
    )
    tell_members(session, membership.pair, keys.moved_key(meeting), keys.MOVED, line, now)
    return meeting


def _too_long(notes: Notes) -> FieldErrors | None:
    """Field errors for notes longer than we keep: cutting them would lose words silently."""
    errors = {
        block: f"Keep this to {NOTE_LIMITS[block]:,} characters (it has {len(text):,})."
        for block, text in (
            (DISCUSSED_BLOCK, notes.discussed.strip()),
            (LESSON_BLOCK, notes.lesson.strip()),
            (ACTIONS_BLOCK, notes.next_actions.strip()),
            (PRIVATE_BLOCK, notes.private.strip()),
        )
        if len(text) > NOTE_LIMITS[block]
    }
    return FieldErrors(errors) if errors else None


def _clean(notes: Notes, allowed_areas: list[str]) -> Notes:
    allowed = {area.strip().casefold(): area for area in allowed_areas}
    return Notes(
        discussed=notes.discussed.strip(),
        lesson=notes.lesson.strip(),
        next_actions=notes.next_actions.strip(),
        private=notes.private.strip(),
        focus_areas=tuple(
            allowed[a.strip().casefold()]
            for a in notes.focus_areas
            if a.strip().casefold() in allowed
        ),
    )


def save_notes(
    session: Session,
    membership: Membership,
    meeting: Meeting,
    notes: Notes,
    focus_areas: list[str],
    now: datetime,
) -> Meeting | Refused | FieldErrors:
    """Write (or rewrite) the asker's part of a held meeting's notes, and their private notes;
    the partner's part stays as they wrote it. Notes longer than NOTE_LIMITS are refused
    field by field, and nothing is written."""
    too_long = _too_long(notes)
    if too_long is not None:
        return too_long
    if meeting.status != MeetingStatus.MET:
        marked = mark_met(session, membership, meeting, now)
        if isinstance(marked, Refused):
            return marked
    clean = _clean(notes, focus_areas)
    shared = NoteParts(clean.discussed, clean.lesson, clean.next_actions)
    save_parts(session, meeting, membership.me, shared, clean.private, now)
    meeting.focus_areas = list(clean.focus_areas)
    meeting.logged_at = now
    session.add(meeting)
    return meeting


def log_meeting(
    session: Session,
    membership: Membership,
    starts_at: datetime,
    day_bounds: tuple[datetime, datetime],
    notes: Notes,
    focus_areas: list[str],
    now: datetime,
) -> Meeting | FieldErrors:
    """Record a meeting held off-schedule (or a scheduled one held that day) with its notes.

    The day must be between the day the pair became active and today: an older meeting was
    not one of this mentorship's, and would skew its health and streaks.
    """
    if starts_at > now:
        return FieldErrors({DATE_BLOCK: "That's in the future; log meetings once they happened."})
    began = membership.pair.activated_at
    if began is not None and day_bounds[1] <= began:
        return FieldErrors(
            {DATE_BLOCK: "That's before your mentorship began. Pick a day since it started."}
        )
    too_long = _too_long(notes)
    if too_long is not None:
        return too_long
    meeting = scheduled_on_day(session, membership.pair.id, *day_bounds)
    if meeting is None:
        meeting = Meeting(
            team_id=membership.pair.team_id,
            pair_id=membership.pair.id,
            starts_at=starts_at,
            status=MeetingStatus.SCHEDULED,
            created_at=now,
        )
        session.add(meeting)
        session.flush()
    elif meeting.starts_at > now:
        meeting.starts_at = starts_at  # met earlier that day than planned
    _record_met(session, membership, meeting, now)
    saved = save_notes(session, membership, meeting, notes, focus_areas, now)
    assert isinstance(saved, Meeting)  # its notes were checked above
    zone = schedule.pair_zone(session, meeting.pair_id)
    line = logged_line(name_of(membership.me), meeting.starts_at, zone)
    tell_members(session, membership.pair, keys.logged_key(meeting), keys.LOGGED, line, now)
    return saved
