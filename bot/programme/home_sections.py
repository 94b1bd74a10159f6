"""What the programme adds to an admin's Home: the worst pairs at risk, with their actions."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.programme.blocks.watch import home_section
from bot.programme.service.watch import at_risk_pairs


def at_risk_section(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    """The pairs at risk, worst first (a few; `/tandem admin pairs` lists them all)."""
    return home_section(at_risk_pairs(session, team_id, now), now)
