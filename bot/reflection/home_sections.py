"""Reflection's part of the App Home: the pair's stage select, and programme health for
admins (counts and averages only). A review waiting for an answer is on Home's own list."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.kit import section
from bot.core.membership import Membership
from bot.reflection.blocks.stage import stage_select_block
from bot.reflection.programme import programme_health


def stage_blocks(membership: Membership) -> list[dict[str, Any]]:
    """Under each live pair: its stage, changeable."""
    return [stage_select_block(membership.pair)]


def programme_section(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    """For admins: the programme's health in numbers."""
    return [section("\n".join(programme_health(session, team_id, now).lines()))]
