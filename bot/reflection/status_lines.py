"""Reflection's part of `/tandem status` and the App Home: stage (changeable) and health."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.kit import section
from bot.core.membership import Membership
from bot.reflection.blocks.stage import stage_select_block
from bot.reflection.signals import health_lines


def reflection_status_blocks(
    session: Session, membership: Membership, now: datetime
) -> list[dict[str, Any]]:
    """Two blocks for one pair: the stage with a select to change it, and health with reasons.

    Block and action ids carry the pair id, so several pairs' blocks can share a surface.
    """
    lines = health_lines(session, membership, now, with_stage=False)
    return [stage_select_block(membership.pair), section("\n".join(lines))]
