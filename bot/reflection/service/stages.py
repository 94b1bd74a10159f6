"""A pair's stage (skill building → career strategy → peer collaboration), with its history."""

from datetime import datetime

from sqlmodel import Session

from bot.core.membership import Membership, resolve_pair
from bot.core.mentions import strip_mentions
from bot.core.results import Refused
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


def stage_command(
    session: Session, team_id: str, user_id: str, args: str, now: datetime
) -> tuple[str, list | None, bool]:
    """`/tandem stage [@partner] [stage]`: (the answer's text, blocks, whether a message was
    queued). No stage named: where the pair stands, with the select to change it."""
    found = resolve_pair(session, team_id, user_id, args)
    if isinstance(found, Refused):
        return found.message, None, False
    if isinstance(found, list):
        return PICK_PARTNER, None, False
    wanted = strip_mentions(args).strip()
    if not wanted:
        label = STAGE_LABELS.get(found.pair.stage, found.pair.stage)
        return f"Your mentorship is at the {label} stage.", [stage_select_block(found.pair)], False
    stage = stage_named(wanted)
    if stage is None:
        return (
            "That isn't one of the stages. Try `/tandem stage skill building`, "
            "`/tandem stage career strategy` or `/tandem stage peer collaboration`.",
            None,
            False,
        )
    changed = change_stage(session, team_id, user_id, found.pair.id, stage, now)
    if isinstance(changed, Refused):
        return changed.message, None, False
    return stage_changed_text(*changed), None, changed[1] is not None
