"""Buttons on meeting messages and modals: one function each, checked against the pair.

Buttons carry ids; every function looks the meeting or pair up again and checks that the
clicker is one of its two members (an outsider is answered as if it did not exist), and that
it is still in the state the button assumes (old or repeated clicks do nothing harmful).
"""

from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from bot.core import slack_time
from bot.core.context import Tandem
from bot.core.membership import Membership
from bot.core.people import find_person, person_zone
from bot.core.results import Refused, Reply, Result, Upload
from bot.delivery.service import snooze_end
from bot.meetings import outcomes, schedule
from bot.meetings.access import meeting_for_member, member_of
from bot.meetings.blocks.messages import met_line, notice, outcome_blocks, skipped_line
from bot.meetings.blocks.modals import move_modal, notes_modal, settings_modal
from bot.meetings.ics import series_calendar
from bot.meetings.members import name_of
from bot.meetings.notes import my_parts, partner_part
from bot.meetings.service.commands import log_form, move_form
from bot.meetings.snooze import GONE, snooze
from storage.models import Meeting, MeetingStatus, Person
from storage.queries.charter import current_charter
from storage.queries.meetings import active_series, next_meeting, pair_meetings
from storage.queries.pairs import pair_people


def focus_areas(session: Any, pair_id: int) -> list[str]:
    """The focus areas of the pair's current charter (what notes can tick)."""
    charter = current_charter(session, pair_id)
    return list(charter.focus_areas) if charter else []


def _notes_view(session: Any, membership: Membership, meeting: Meeting) -> dict[str, Any]:
    mine, private = my_parts(session, meeting, membership.me)
    initial = {
        "discussed": mine.discussed,
        "lesson": mine.lesson,
        "next_actions": mine.next_actions,
        "focus_areas": meeting.focus_areas,
        "private": private,
    }
    theirs = partner_part(session, meeting, membership)
    partner = (name_of(membership.partner), asdict(theirs))
    return notes_modal(
        meeting.id,
        meeting.starts_at,
        focus_areas(session, meeting.pair_id),
        initial,
        partner,
        slack_time.zone_named(membership.me.tz),  # the reader's
    )


def _met_update(session: Any, meeting: Meeting) -> dict[str, Any]:
    by = session.get(Person, meeting.logged_by_id) if meeting.logged_by_id else None
    zone = schedule.pair_zone(session, meeting.pair_id)
    return outcome_blocks(
        meeting.id, met_line(meeting.starts_at, name_of(by) if by else "you", zone), True
    )


def met(ctx: Tandem, session: Session, team_id: str, user_id: str, meeting_id: str) -> Result:
    """ "Met": record it and open the notes (again, if the partner got there first)."""
    found = meeting_for_member(session, team_id, user_id, meeting_id)
    if isinstance(found, Refused):
        return found
    membership, meeting = found
    done = outcomes.mark_met(session, membership, meeting, ctx.clock.now())
    if isinstance(done, Refused):
        return done
    update = _met_update(session, meeting)
    return Reply(
        update=update,
        edits=outcomes.followup_edits(session, meeting, update),  # the ask and its re-ask
        modal=_notes_view(session, membership, meeting),
        queued=True,
    )


def notes(ctx: Tandem, session: Session, team_id: str, user_id: str, meeting_id: str) -> Result:
    """ "Notes": the pair's notes of a held meeting, to read or edit (members only)."""
    found = meeting_for_member(session, team_id, user_id, meeting_id, to_change=False)
    if isinstance(found, Refused):
        return found
    membership, meeting = found
    if meeting.status != MeetingStatus.MET:
        return Reply(text="Notes are for meetings you held: click “Met” first.")
    return Reply(modal=_notes_view(session, membership, meeting))


def move(ctx: Tandem, session: Session, team_id: str, user_id: str, meeting_id: str) -> Result:
    """ "Reschedule"/"Rescheduled": a modal to give this meeting a new time."""
    now = ctx.clock.now()
    found = meeting_for_member(session, team_id, user_id, meeting_id)
    if isinstance(found, Refused):
        return found
    membership, meeting = found
    if meeting.status in (MeetingStatus.MET, MeetingStatus.CANCELLED):
        return Reply(text="That meeting is already done with, so it can't be moved.")
    zone = person_zone(membership.me, ctx.settings)
    view = move_modal({"meeting": meeting.id}, [membership], meeting.starts_at, zone, now)
    return Reply(modal=view)


def skip(ctx: Tandem, session: Session, team_id: str, user_id: str, meeting_id: str) -> Result:
    """ "Skipped"/"Skip this one": no more nudges about this meeting."""
    now = ctx.clock.now()
    found = meeting_for_member(session, team_id, user_id, meeting_id)
    if isinstance(found, Refused):
        return found
    membership, meeting = found
    done = outcomes.mark_skipped(session, membership, meeting, now)
    if isinstance(done, Refused):
        return done
    upcoming = next_meeting(session, membership.pair.id, now)
    line = skipped_line(
        meeting.starts_at,
        name_of(membership.me),
        upcoming.starts_at if upcoming else None,
        schedule.pair_zone(session, meeting.pair_id),
    )
    update = outcome_blocks(meeting.id, line, False)
    edits = outcomes.followup_edits(session, meeting, update)  # the ask and its re-ask
    return Reply(update=update, edits=edits, queued=True)


def snoozed(ctx: Tandem, session: Session, team_id: str, user_id: str, key: str) -> Result:
    """ "Snooze": the same nudge again tomorrow (said on the clicker's own clock)."""
    when = snooze(session, team_id, user_id, key, ctx.clock.now())
    if isinstance(when, Refused):
        return when
    zone = person_zone(find_person(session, team_id, user_id), ctx.settings)
    text = f":zzz: Snoozed. I'll bring this back {slack_time.when(when, zone)}."
    return Reply(update=notice(text), queued=True)


def snoozed_until(
    ctx: Tandem, session: Session, team_id: str, user_id: str, choice: str, key: str
) -> Result:
    """The Snooze buttons on any nudge: until tomorrow morning, or next Monday morning, in
    the clicker's own timezone."""
    now = ctx.clock.now()
    zone = person_zone(find_person(session, team_id, user_id), ctx.settings)
    until = snooze_end(session, team_id, choice, now, zone)
    if until is None:
        return Refused(GONE)
    when = snooze(session, team_id, user_id, key, now, until)
    if isinstance(when, Refused):
        return when
    text = f":zzz: Snoozed. I'll bring this back {slack_time.when(when, zone)}."
    return Reply(update=notice(text), queued=True)


def lapse_move(ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: str) -> Result:
    """ "Reschedule" on the lapse nudge: what `/tandem reschedule` opens, for that pair."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    zone = person_zone(membership.me, ctx.settings)
    return move_form(session, membership, ctx.clock.now(), zone)


def lapse_log(ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: str) -> Result:
    """ "Log a meeting" on the lapse nudge: what `/tandem log` opens, for that pair."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    zone = person_zone(membership.me, ctx.settings)
    return log_form(session, [membership], ctx.clock.now(), zone)


def calendar_file(
    ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: str, channel: str
) -> Result:
    """ "Add to calendar": the series as an .ics, shared where the button was clicked."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    series = active_series(session, membership.pair.id)
    if series is None:
        return Reply(text="There is no meeting rhythm yet: set one in your charter.")
    mentor, mentee = pair_people(session, membership.pair)
    meetings = pair_meetings(session, membership.pair.id)
    title = f"Mentoring: {name_of(mentor)} & {name_of(mentee)}"
    content = series_calendar(series, title, meetings, ctx.clock.now())
    home = membership.pair.home_channel_id
    target = channel if channel[:1] == "D" or channel == home else (home or user_id)
    comment = "Your meetings as a calendar file: open it to add the series to your calendar."
    return Reply(upload=Upload(target, "tandem-meetings.ics", content, comment))


def settings(ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: str) -> Result:
    """ "Reminder settings": when both members are reminded."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=settings_modal(membership.pair.id, list(membership.pair.reminder_offsets)))
