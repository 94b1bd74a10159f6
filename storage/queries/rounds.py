"""Statements of stored matching rounds: the one an admin left open, join notes beside each
proposal, and what a round already asks of each mentor."""

from collections.abc import Collection

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import JoinProfile, MatchProposal, MatchRound, Person


def open_rounds(session: Session, team_id: str) -> list[MatchRound]:
    """The workspace's rounds neither sent nor discarded, newest first."""
    return list(
        session.exec(
            select(MatchRound)
            .where(
                MatchRound.team_id == team_id,
                col(MatchRound.sent_at).is_(None),
                col(MatchRound.discarded_at).is_(None),
            )
            .order_by(col(MatchRound.id).desc())
        ).all()
    )


def join_notes(session: Session, team_id: str, person_ids: Collection[int]) -> dict[int, str]:
    """The join form's note of each of `person_ids` who wrote one (person id → note)."""
    ids, found = sorted(set(person_ids)), {}
    for at in range(0, len(ids), 1000):  # a thousand at a time: a round names thousands
        rows = session.exec(
            select(JoinProfile.person_id, JoinProfile.note).where(
                JoinProfile.team_id == team_id,
                col(JoinProfile.person_id).in_(ids[at : at + 1000]),
                JoinProfile.note != "",
            )
        ).all()
        found.update({person_id: note for person_id, note in rows})
    return found


def round_load(session: Session, round_id: int) -> dict[int, int]:
    """How many mentees a round's proposals not dropped give each mentor (person id → count)."""
    rows = session.exec(
        select(MatchProposal.mentor_id, func.count())
        .where(MatchProposal.round_id == round_id, col(MatchProposal.dropped).is_(False))
        .group_by(col(MatchProposal.mentor_id))
    ).all()
    return {mentor_id: count for mentor_id, count in rows}


def people_by_id(session: Session, person_ids: Collection[int]) -> dict[int, Person]:
    """People by id, read a thousand at a time (a round names thousands)."""
    ids, found = sorted(set(person_ids)), {}
    for at in range(0, len(ids), 1000):
        rows = session.exec(select(Person).where(col(Person.id).in_(ids[at : at + 1000]))).all()
        found.update({person.id: person for person in rows if person.id is not None})
    return found
