"""A pair's stage (skill building → career strategy → peer collaboration), with its history."""

from datetime import datetime

from sqlmodel import Session

from bot.core.membership import resolve_pair
from bot.core.mentions import strip_mentions
from bot.core.results import Refused, Reply, Result
from bot.delivery.service import dm_member
from bot.reflection.access import member_of
from bot.reflection.blocks.stage import (
    STAGE_LABELS,
    stage_changed_message,
    stage_changed_text,
    stage_select_block,
)
from storage.models import StageChange


def change_stage(
    session: Session, team_id: str, user_id: str, pair_id: int | None, stage: str, now: datetime
) -> Result:
    """Move the pair to `stage` (either member may), record it, and tell the partner; the
    person who moved it is told so (or that it was at that stage already)."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    if stage not in STAGE_LABELS:
        return Refused(
            "That isn't one of the stages: skill building, career strategy, peer collaboration."
        )
    pair = membership.pair
    if pair.stage == stage:
        return Reply(text=stage_changed_text(membership, None))
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
    return Reply(text=stage_changed_text(membership, change), queued=True)


PICK_PARTNER = (
    "You're in more than one pair: add your partner, e.g. `/tandem stage @partner career`."
)
# What people type after `/tandem stage`: a word of the stage's name is enough.
STAGE_WORDS = {
    "skill": "skill_building",
    "skills": "skill_building",
    "building": "skill_building",
    "career": "career_strategy",
    "strategy": "career_strategy",
    "peer": "peer_collaboration",
    "peers": "peer_collaboration",
    "collaboration": "peer_collaboration",
}


def stage_named(text: str) -> str | None:
    """The stage `text` names ("career", "Peer collaboration", "skill_building"), or None."""
    words = text.lower().replace("-", " ").replace("_", " ").split()
    if not words:
        return None
    joined = "_".join(words)
    if joined in STAGE_LABELS:
        return joined
    found = {STAGE_WORDS[w] for w in words if w in STAGE_WORDS}
    return found.pop() if len(found) == 1 else None


def stage_command(session: Session, team_id: str, user_id: str, args: str, now: datetime) -> Result:
    """`/tandem stage [@partner] [stage]`: no stage named, where the pair stands, with the
    select to change it; else the pair moves there."""
    found = resolve_pair(session, team_id, user_id, args)
    if isinstance(found, Refused):
        return found
    if isinstance(found, list):
        return Refused(PICK_PARTNER)
    wanted = strip_mentions(args).strip()
    if not wanted:
        label = STAGE_LABELS.get(found.pair.stage, found.pair.stage)
        text = f"Your mentorship is at the {label} stage."
        return Reply(text=text, blocks=[stage_select_block(found.pair)])
    stage = stage_named(wanted)
    if stage is None:
        return Refused(
            "That isn't one of the stages. Try `/tandem stage skill building`, "
            "`/tandem stage career strategy` or `/tandem stage peer collaboration`."
        )
    return change_stage(session, team_id, user_id, found.pair.id, stage, now)
