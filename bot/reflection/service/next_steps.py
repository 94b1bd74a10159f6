"""The review results' buttons for what they suggest: Revise the charter opens the charter
form (a new version the partner co-signs, as any edit), End opens the end form (Graduate or
Close, confirmed by its own submit). Pause is the meetings' pause form
(bot/meetings/service/pause_form.py). Only the pair's members, while it is live.
"""

from sqlmodel import Session

from bot.charter.service import edit_view
from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.results import Refused, Reply, Result
from bot.reflection.access import member_of
from bot.reflection.blocks.ending import end_modal


def revise_charter(ctx: Tandem, session: Session, team_id: str, user_id: str, value: str) -> Result:
    """ "Revise the charter": the charter form of the pair the button names."""
    membership = member_of(session, team_id, user_id, parse_id(value))
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=edit_view(ctx, session, membership))


def end_from_review(
    ctx: Tandem, session: Session, team_id: str, user_id: str, value: str
) -> Result:
    """ "End": the end form of the pair the button names (nothing ends until it is submitted)."""
    membership = member_of(session, team_id, user_id, parse_id(value))
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=end_modal([membership]))
