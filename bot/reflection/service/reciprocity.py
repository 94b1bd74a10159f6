"""Giving back, counted both ways: what each member shared with the other recently.

Shown in `/tandem status`, on Home and in the review, in the same words everywhere:
"You shared 3 · received 2 in the last 90 days".
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.membership import Membership
from storage.queries.reflection import giving_counts

WINDOW = timedelta(days=90)


def giving_line(shared: int, received: int) -> str:
    """The one line about giving back (also when nothing was shared yet)."""
    if shared == 0 and received == 0:
        return "*Giving back:* nothing shared yet in the last 90 days. `/tandem share` logs it."
    return f"*Giving back:* you shared {shared} · received {received} in the last 90 days"


def giving_lines(session: Session, mine: list[Membership], now: datetime) -> dict[int, str]:
    """Pair id → the giving-back line for each of the person's pairs (one query for all)."""
    counts = giving_counts(session, [m.pair.id or 0 for m in mine], now - WINDOW)
    return {
        m.pair.id or 0: giving_line(
            counts.get((m.pair.id or 0, m.me.id or 0), 0),
            counts.get((m.pair.id or 0, m.partner.id or 0), 0),
        )
        for m in mine
    }


def giving_status(session: Session, mine: list[Membership], now: datetime) -> dict[int, list[str]]:
    """`giving_lines` as `/tandem status` and Home show it: the pair's one giving-back line."""
    return {pair_id: [line] for pair_id, line in giving_lines(session, mine, now).items()}
