"""Charters: the current version of a pair's charter."""

from sqlmodel import Session, col, select

from storage.models import CharterVersion


def current_charter(session: Session, pair_id: int) -> CharterVersion | None:
    """The latest charter version of the pair, if they have written one."""
    return session.exec(
        select(CharterVersion)
        .where(CharterVersion.pair_id == pair_id)
        .order_by(col(CharterVersion.version).desc())
        .limit(1)
    ).first()
