"""Charters: the current version of a pair's charter (of one pair, or of many at once)."""

from collections.abc import Iterable

from sqlmodel import Session, and_, col, func, select

from storage.models import CharterAck, CharterVersion


def current_charter(session: Session, pair_id: int) -> CharterVersion | None:
    """The latest charter version of the pair, if they have written one."""
    return session.exec(
        select(CharterVersion)
        .where(CharterVersion.pair_id == pair_id)
        .order_by(col(CharterVersion.version).desc())
        .limit(1)
    ).first()


def current_charters(session: Session, pair_ids: Iterable[int]) -> dict[int, CharterVersion]:
    """Each pair's latest charter version (pairs without one are absent), in one statement."""
    ids = list(pair_ids)
    if not ids:
        return {}
    latest = (
        select(CharterVersion.pair_id, func.max(CharterVersion.version).label("version"))
        .where(col(CharterVersion.pair_id).in_(ids))
        .group_by(col(CharterVersion.pair_id))
        .subquery()
    )
    rows = session.exec(
        select(CharterVersion).join(
            latest,
            and_(
                col(CharterVersion.pair_id) == latest.c.pair_id,
                col(CharterVersion.version) == latest.c.version,
            ),
        )
    )
    return {row.pair_id: row for row in rows}


def signed_charter_pairs(session: Session, pair_ids: Iterable[int]) -> set[int]:
    """Pairs with at least one charter version acknowledged by two people (both members)."""
    rows = session.exec(
        select(CharterVersion.pair_id)
        .join(CharterAck, col(CharterAck.charter_version_id) == col(CharterVersion.id))
        .where(col(CharterVersion.pair_id).in_(list(pair_ids)))
        .group_by(CharterVersion.id, CharterVersion.pair_id)
        .having(func.count(func.distinct(CharterAck.person_id)) >= 2)
    ).all()
    return set(rows)
