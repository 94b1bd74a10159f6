"""The per-person daily DM limit, as a counter that only a conditional update can raise.

"Count what was sent today, then send" lets two senders both see 2 of 3 and both send; a
row per (person, local day) raised with `UPDATE ... WHERE sent < limit` cannot be over-raised
by any number of concurrent senders, on SQLite or PostgreSQL.
"""

from datetime import date

from sqlalchemy import update
from sqlmodel import Session, col

from storage.db import insert_if_absent
from storage.models import DailyDmCount


def _ensure_row(session: Session, team_id: str, user_id: str, day: date) -> None:
    insert_if_absent(
        session, DailyDmCount, {"team_id": team_id, "user_id": user_id, "day": day, "sent": 0}
    )


def _this_day(team_id: str, user_id: str, day: date):  # type: ignore[no-untyped-def]
    return (
        col(DailyDmCount.team_id) == team_id,
        col(DailyDmCount.user_id) == user_id,
        col(DailyDmCount.day) == day,
    )


def reserve(session: Session, team_id: str, user_id: str, day: date, limit: int) -> bool:
    """Take one of the person's `limit` DMs for `day`; False when they are all taken."""
    _ensure_row(session, team_id, user_id, day)
    result = session.exec(  # type: ignore[call-overload]
        update(DailyDmCount)
        .where(*_this_day(team_id, user_id, day), col(DailyDmCount.sent) < limit)
        .values(sent=DailyDmCount.sent + 1)
    )
    return bool(result.rowcount)


def count(session: Session, team_id: str, user_id: str, day: date) -> None:
    """Count a DM that goes out whatever the limit (the digest itself)."""
    _ensure_row(session, team_id, user_id, day)
    session.exec(  # type: ignore[call-overload]
        update(DailyDmCount)
        .where(*_this_day(team_id, user_id, day))
        .values(sent=DailyDmCount.sent + 1)
    )


def release(session: Session, team_id: str, user_id: str, day: date) -> None:
    """Give back a reserved DM that was not sent after all (deferred or failed)."""
    session.exec(  # type: ignore[call-overload]
        update(DailyDmCount)
        .where(*_this_day(team_id, user_id, day), col(DailyDmCount.sent) > 0)
        .values(sent=DailyDmCount.sent - 1)
    )
