"""The per-person daily DM limit, as a counter that only a conditional update can raise.

"Count what was sent today, then send" lets two senders both see 2 of 3 and both send; a
row per (person, local day) raised with `UPDATE ... WHERE sent < limit` cannot be over-raised
by any number of concurrent senders, on SQLite or PostgreSQL.
"""

from datetime import date

from sqlmodel import Session

from storage.queries.delivery import add_daily_dm, remove_daily_dm


def reserve(session: Session, team_id: str, user_id: str, day: date, limit: int) -> bool:
    """Take one of the person's `limit` DMs for `day`; False when they are all taken."""
    return add_daily_dm(session, team_id, user_id, day, limit)


def count(session: Session, team_id: str, user_id: str, day: date) -> None:
    """Count a DM that goes out whatever the limit (the digest itself)."""
    add_daily_dm(session, team_id, user_id, day)


def release(session: Session, team_id: str, user_id: str, day: date) -> None:
    """Give back a reserved DM that was not sent after all (deferred or failed)."""
    remove_daily_dm(session, team_id, user_id, day)
