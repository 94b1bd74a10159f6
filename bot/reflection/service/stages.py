"""A pair's stage (skill building → career strategy → peer collaboration), with its history."""

from datetime import datetime

from sqlmodel import Session

from bot.core.membership import Membership
from bot.core.results import Refused
from bot.delivery.service import dm_member
from bot.reflection.access import member_of
from bot.reflection.blocks.stage import STAGE_LABELS, stage_changed_message
from storage.models import StageChange


def change_stage(
    session: Session, team_id: str, user_id: str, pair_id: int | None, stage: str, now: datetime
) -> tuple[Membership, StageChange | None] | Refused:
    """Move the pair to `stage` (either member may), record it, and tell the partner.

    Returns no change when the pair is already at that stage.
    """
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    if stage not in STAGE_LABELS:
        return Refused(
            "That isn't one of the stages: skill building, career strategy, peer collaboration."
        )
    pair = membership.pair
    if pair.stage == stage:
        return membership, None
    change = StageChange(
        team_id=team_id,
        pair_id=pair.id,
        from_stage=pair.stage,
        to_stage=stage,
        changed_by_id=membership.me.id,
        changed_at=now,
    )
    pair.stage = stage
    pair.updated_at = now
    session.add_all([pair, change])
    session.flush()
    text, blocks = stage_changed_message(membership, change)
    dm_member(
        session,
        membership.partner.user_id,
        key=f"stage:{pair.id}:{change.id}",
        kind="reflection.stage",
        text=text,
        blocks=blocks,
        deliver_after=now,
        pair=pair,
    )
    return membership, change
