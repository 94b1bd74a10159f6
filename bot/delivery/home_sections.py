"""Delivery's part of the admins' App Home: the messages Slack refused, and why."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.kit import section
from storage.queries.delivery import failed_deliveries


def failed_deliveries_section(
    session: Session, team_id: str, now: datetime
) -> list[dict[str, Any]]:
    """Up to ten refused messages by kind, channel and Slack's reason ([] when none)."""
    failed = failed_deliveries(session, team_id, limit=20)
    if not failed:
        return []
    # Kind and reason only: the text may be private.
    shown = "\n".join(f"• {row.kind} to `{row.channel}`: {row.last_error}" for row in failed[:10])
    return [section(f"*Messages Slack refused ({len(failed)}):*\n{shown}")]
