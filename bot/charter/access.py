"""Who may open or sign a pair's charter: only its two members, whatever the pair's status
(history stays readable); outsiders learn nothing, not even that the pair exists."""

from sqlmodel import Session

from bot.core.membership import NOT_FOUND, Membership, guard
from bot.core.results import Refused
from storage.models import CharterVersion


def member_of(
    session: Session, team_id: str, user_id: str, pair_id: int | None
) -> Membership | Refused:
    """`user_id`'s membership of pair `pair_id`; NOT_FOUND when missing or not theirs."""
    return guard(session, team_id, user_id, pair_id)


def member_version(
    session: Session, team_id: str, user_id: str, version_id: int | None
) -> tuple[Membership, CharterVersion] | Refused:
    """Charter version `version_id` (from a button) with `user_id`'s membership of its pair;
    NOT_FOUND when missing or not theirs."""
    version = session.get(CharterVersion, version_id) if version_id is not None else None
    if version is None or version.team_id != team_id:
        return Refused(NOT_FOUND)
    membership = member_of(session, team_id, user_id, version.pair_id)
    return membership if isinstance(membership, Refused) else (membership, version)
