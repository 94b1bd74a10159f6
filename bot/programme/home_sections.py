"""What the programme adds to an admin's Home: a matching round left open, and the worst
pairs at risk, with their actions."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.programme.blocks.round_modal import open_round_entry
from bot.programme.blocks.watch import home_section
from bot.programme.service.watch import at_risk_pairs
from storage.queries.rounds import open_rounds


def at_risk_section(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    """The pairs at risk, worst first (a few; `/tandem admin pairs` lists them all)."""
    return home_section(at_risk_pairs(session, team_id, now))


def open_round_section(session: Session, team_id: str, now: datetime) -> list[dict[str, Any]]:
    """ "Open matching round" while a round is neither sent nor discarded (the newest)."""
    rounds = open_rounds(session, team_id)
    return open_round_entry(rounds[0]) if rounds else []
