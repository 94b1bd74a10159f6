"""The answers to a drift offer (bot/reflection/drift.py): change the charter to the lived
rhythm, keep the agreed one, or raise it in the next review.

Changing goes through the charter's own form and save, so the partner co-signs the new
cadence as any edit. Keeping or raising it is answered in place: the offer in the group DM
gives way to who chose what, for both to read.
"""

from datetime import timedelta

from sqlmodel import Session

from bot.charter.service import edit_view
from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.results import Refused, Reply, Result, in_place
from bot.reflection.access import member_of
from bot.reflection.blocks.common import name_of
from bot.reflection.blocks.drift import KEEP_WEEKS, kept_text, seen_drift, to_review_text
from bot.reflection.drift_rules import CADENCE_WORDS

NOT_A_CADENCE = "That rhythm isn't one a charter can hold. Nothing was changed."


def _pair_id(value: str) -> int | None:
    return parse_id(value.partition(":")[0])


def adopt(ctx: Tandem, session: Session, team_id: str, user_id: str, value: str) -> Result:
    """ "Make it every 2 weeks": the charter form, with the lived cadence proposed."""
    cadence = value.partition(":")[2]
    if cadence not in CADENCE_WORDS:
        return Refused(NOT_A_CADENCE)
    membership = member_of(session, team_id, user_id, _pair_id(value))
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=edit_view(ctx, session, membership, cadence=cadence))


def keep(ctx: Tandem, session: Session, team_id: str, user_id: str, value: str) -> Result:
    """ "Keep weekly": no drift offer for the next eight weeks."""
    membership = member_of(session, team_id, user_id, _pair_id(value))
    if isinstance(membership, Refused):
        return membership
    pair = membership.pair
    pair.drift_quiet_until = ctx.clock.now() + timedelta(weeks=KEEP_WEEKS)
    session.add(pair)
    return in_place(kept_text(seen_drift(pair), name_of(membership.me)))


def to_review(ctx: Tandem, session: Session, team_id: str, user_id: str, value: str) -> Result:
    """ "Talk about it in our review": the rhythm becomes a topic of the next review."""
    membership = member_of(session, team_id, user_id, _pair_id(value))
    if isinstance(membership, Refused):
        return membership
    membership.pair.drift_to_review = True
    session.add(membership.pair)
    return in_place(to_review_text(name_of(membership.me)))
