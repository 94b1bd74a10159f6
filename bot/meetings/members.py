"""The two people of a pair, as meeting notifications need them."""

from sqlmodel import Session

from storage.models import Pair, Person


def members(session: Session, pair: Pair) -> tuple[Person, Person]:
    """(mentor, mentee)."""
    mentor = session.get(Person, pair.mentor_id)
    mentee = session.get(Person, pair.mentee_id)
    assert mentor is not None and mentee is not None
    return mentor, mentee


def name_of(person: Person) -> str:
    """How Tandem names a person in a message."""
    return person.real_name or person.display_name or "your partner"
