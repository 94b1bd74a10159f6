"""The pause form: "Pause" on the lapse nudge and the review opens it; its date picker says
until when. Submitting applies the same rule as `/tandem pause until <date>` (bot/meetings/
pause.py): a day that is not in the future, or more than a year away, is a field error.
"""

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import read_metadata
from bot.core.modal_state import ModalState
from bot.core.people import person_zone
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.meetings import form_rules
from bot.meetings import pause as pausing
from bot.meetings.access import member_of
from bot.meetings.blocks.modals import PAUSE_BLOCK, PAUSE_SUGGESTED, pause_modal
from bot.meetings.members import name_of


def open_pause_form(
    ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: str
) -> Result:
    """ "Pause": the form, for the pair the button names (its members only), starting at
    the current pause's end when the pair is already paused, else two weeks ahead."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    zone = person_zone(membership.me, ctx.settings)
    pair = membership.pair
    until = pair.paused_until or ctx.clock.now() + timedelta(days=PAUSE_SUGGESTED)
    initial = until.astimezone(zone).date()
    return Reply(modal=pause_modal(pair.id or 0, name_of(membership.partner), initial, zone))


def submit_pause(
    ctx: Tandem, session: Session, team_id: str, user_id: str, view: dict[str, Any]
) -> Result:
    """Pause the pair until the picked day, in the submitter's timezone; the pair is told in
    its group DM. A forged or stale form (not a member, an ended pair) writes nothing."""
    membership = member_of(session, team_id, user_id, read_metadata(view).get("pair"))
    if isinstance(membership, Refused):
        return FieldErrors({PAUSE_BLOCK: membership.message})
    day = form_rules.read_pause_day(ModalState.of_view(view))
    if isinstance(day, FieldErrors):
        return day
    zone = person_zone(membership.me, ctx.settings)
    paused = pausing.pause(session, membership, day, zone, ctx.clock.now())
    if isinstance(paused, Refused):
        return FieldErrors({PAUSE_BLOCK: paused.message})
    return Reply(queued=True)
