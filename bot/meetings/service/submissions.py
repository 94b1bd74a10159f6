"""Meeting modal submissions: notes, an off-schedule meeting, a move, reminder settings.

Each re-checks that the submitter is a member of the pair the modal is about, and that the
pair is still active or paused: a forged or stale submission writes nothing and is answered
with a field error.
"""

from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import read_metadata
from bot.core.modal_state import ModalState
from bot.core.people import person_zone
from bot.core.picker import PAIR_BLOCK_ID, picked_pair_id
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.meetings import form_rules, outcomes, schedule
from bot.meetings.access import meeting_for_member, member_of
from bot.meetings.blocks.messages import met_line, moved_line, outcome_blocks
from bot.meetings.blocks.modals import DATE_BLOCK, DISCUSSED_BLOCK, REMINDERS_BLOCK
from bot.meetings.members import name_of
from bot.meetings.service.clicks import focus_areas
from bot.meetings.time_rules import day_bounds
from storage.queries.meetings import next_meeting


def _values(view: dict[str, Any]) -> ModalState:
    return ModalState.of_view(view)


def submit_notes(
    ctx: Tandem, session: Session, team_id: str, user_id: str, view: dict[str, Any]
) -> Result:
    """Save the notes modal (members only; anyone else is refused and nothing is written)."""
    now = ctx.clock.now()
    found = meeting_for_member(session, team_id, user_id, read_metadata(view).get("meeting"))
    if isinstance(found, Refused):
        return FieldErrors({DISCUSSED_BLOCK: found.message})
    membership, meeting = found
    values = _values(view)
    saved = outcomes.save_notes(
        session,
        membership,
        meeting,
        form_rules.read_notes(values),
        focus_areas(session, meeting.pair_id),
        now,
    )
    if isinstance(saved, Refused):
        return FieldErrors({DISCUSSED_BLOCK: saved.message})
    if isinstance(saved, FieldErrors):
        return saved
    return Reply(queued=True)


def submit_log(
    ctx: Tandem, session: Session, team_id: str, user_id: str, view: dict[str, Any]
) -> Result:
    """Save `/tandem log`: a meeting held off-schedule, with notes."""
    now = ctx.clock.now()
    values = _values(view)
    pair_id = read_metadata(view).get("pair") or picked_pair_id(values)
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return FieldErrors(
            {PAIR_BLOCK_ID if PAIR_BLOCK_ID in values else DATE_BLOCK: membership.message}
        )
    zone = person_zone(membership.me, ctx.settings)
    when = form_rules.read_when(values, zone)
    if isinstance(when, FieldErrors):
        return when
    starts_at, day = when
    logged = outcomes.log_meeting(
        session,
        membership,
        starts_at,
        day_bounds(day, zone),
        form_rules.read_notes(values),
        focus_areas(session, membership.pair.id),
        now,
    )
    if isinstance(logged, FieldErrors):
        return logged
    # Logged for the day of a scheduled meeting: its "did you meet?" (and re-ask) say so.
    zone = schedule.pair_zone(session, logged.pair_id)
    line = met_line(logged.starts_at, name_of(membership.me), zone)
    edits = outcomes.followup_edits(session, logged, outcome_blocks(logged.id, line, True))
    return Reply(edits=edits, queued=True)


def submit_move(
    ctx: Tandem, session: Session, team_id: str, user_id: str, view: dict[str, Any]
) -> Result:
    """Save the reschedule modal: this one meeting moves, in the mover's timezone."""
    now = ctx.clock.now()
    values = _values(view)
    target = read_metadata(view)
    if "meeting" in target:
        found = meeting_for_member(session, team_id, user_id, target["meeting"])
        if isinstance(found, Refused):
            return FieldErrors({DATE_BLOCK: found.message})
        membership, meeting = found
    else:
        picked = member_of(session, team_id, user_id, picked_pair_id(values))
        if isinstance(picked, Refused):
            return FieldErrors({PAIR_BLOCK_ID: picked.message})
        membership = picked
        upcoming = next_meeting(session, membership.pair.id, now)
        if upcoming is None:
            return FieldErrors({PAIR_BLOCK_ID: "That pair has no meeting scheduled to move."})
        meeting = upcoming
    when = form_rules.read_when(values, person_zone(membership.me, ctx.settings))
    if isinstance(when, FieldErrors):
        return when
    moved = outcomes.move_meeting(session, membership, meeting, when[0], now)
    if isinstance(moved, Refused):
        return FieldErrors({DATE_BLOCK: moved.message})
    if isinstance(moved, FieldErrors):
        return moved
    # "Did you meet?" asked about the old time (and asked again) now says where it went.
    line = moved_line(
        moved.starts_at, name_of(membership.me), schedule.pair_zone(session, moved.pair_id)
    )
    edits = outcomes.followup_edits(session, moved, outcome_blocks(moved.id, line, False))
    return Reply(edits=edits, queued=True)


def submit_settings(
    ctx: Tandem, session: Session, team_id: str, user_id: str, view: dict[str, Any]
) -> Result:
    """Save the reminder settings for both members."""
    membership = member_of(session, team_id, user_id, read_metadata(view).get("pair"))
    if isinstance(membership, Refused):
        return FieldErrors({REMINDERS_BLOCK: membership.message})
    offsets = form_rules.read_offsets(_values(view))
    schedule.set_reminder_offsets(session, membership.pair, offsets, ctx.clock.now())
    return Reply(queued=True)
