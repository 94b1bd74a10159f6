"""How meeting notifications name a person."""

from storage.models import Person


def name_of(person: Person) -> str:
    """How Tandem names a person in a message."""
    return person.real_name or person.display_name or "your partner"
