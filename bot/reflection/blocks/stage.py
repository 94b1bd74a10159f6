"""The stage select (for review results, status or App Home) and the stage-change DM."""

import re
from typing import Any

from bot.core.ids import parse_id
from bot.core.kit import checked_message, section
from bot.core.membership import Membership
from bot.reflection.blocks.common import name_of, option, plain
from storage.models import Pair, StageChange

# One select per pair; action ids must be unique on a surface, so the pair id is part of it.
STAGE_ACTION = re.compile(r"^reflection\.stage\.\d+$")
STAGE_LABELS = {
    "skill_building": "Skill building",
    "career_strategy": "Career strategy",
    "peer_collaboration": "Peer collaboration",
}


def stage_select_block(pair: Pair) -> dict[str, Any]:
    """A section with a select to change the pair's stage (action `reflection.stage.<pair>`).

    Each option's value is "<pair id>:<stage>"; block and action ids carry the pair id, so
    the block can sit in any message or view (status, App Home) next to other pairs' blocks.
    """
    options = [option(label, f"{pair.id}:{stage}") for stage, label in STAGE_LABELS.items()]
    current = next((o for o in options if o["value"] == f"{pair.id}:{pair.stage}"), None)
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": f"reflection.stage.{pair.id}",
        "placeholder": plain("Change stage"),
        "options": options,
    }
    if current is not None:
        element["initial_option"] = current
    label = STAGE_LABELS.get(pair.stage, pair.stage)
    return {
        "type": "section",
        "block_id": f"reflection.stage.{pair.id}",
        "text": {"type": "mrkdwn", "text": f"*Stage:* {label}"},
        "accessory": element,
    }


def parse_stage_value(value: str | None) -> tuple[int, str] | None:
    """(pair id, stage) from a stage option's value, or None when malformed."""
    pair_text, _, stage = (value or "").partition(":")
    pair_id = parse_id(pair_text)
    return (pair_id, stage) if pair_id is not None and stage else None


def stage_changed_message(
    membership: Membership, change: StageChange
) -> tuple[str, list[dict[str, Any]]]:
    """The DM the partner gets when the other member moves the pair to a new stage."""
    name = name_of(membership.me)
    before = STAGE_LABELS.get(change.from_stage, change.from_stage)
    after = STAGE_LABELS.get(change.to_stage, change.to_stage)
    text = f"{name} moved your mentorship to a new stage: {after}"
    blocks = [section(f"*{name}* moved your mentorship from _{before}_ to *{after}*.")]
    return text, checked_message(blocks)


def stage_changed_text(membership: Membership, change: StageChange | None) -> str:
    """The confirmation the person who changed the stage sees."""
    stage = STAGE_LABELS.get(membership.pair.stage, membership.pair.stage)
    if change is None:
        return f"Your mentorship is already at the *{stage}* stage."
    partner = name_of(membership.partner)
    return f"Your mentorship is now at the *{stage}* stage. {partner} has been told."
