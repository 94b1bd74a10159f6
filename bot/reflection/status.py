"""Reflection's part of `/tandem status` and the App Home: stage (changeable) and health."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.pairs.lookup import Membership
from bot.reflection.signals import health_lines
from bot.reflection.views.stage import stage_select_block
from bot.views.kit import section


def reflection_status_blocks(
    session: Session, membership: Membership, now: datetime
) -> list[dict[str, Any]]:
    """Two blocks for one pair: the stage with a select to change it, and health with reasons.

    Block and action ids carry the pair id, so several pairs' blocks can share a surface.
    """
    lines = health_lines(session, membership, now, with_stage=False)
    return [stage_select_block(membership.pair), section("\n".join(lines))]
