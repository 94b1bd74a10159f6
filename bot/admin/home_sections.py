"""Administration's part of the admins' App Home: the admin actions, and what admins see."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.admin.blocks import admin_actions
from bot.core.kit import context


def admin_actions_section(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    """Every admin capability as a button, and the promise about privacy."""
    return [
        *admin_actions(),
        context("Admins see numbers, never a pair's notes, feedback or review answers."),
    ]
