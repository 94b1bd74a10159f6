"""Deleting one person's data on request.

What goes: their profile (name, timezone), everything they wrote (feedback, review answers,
retrospectives, contributions, agenda items, goal updates, goals they own), the free text of
records they share with a partner (charter versions and meeting notes of their pairs, which
inevitably describe them), and every queued or sent message addressed to them or about their
pairs. What stays: anonymous counts and dates, so the programme's numbers still add up; the
partner keeps the pair in their history as "a former member". Their open pairs end.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.core.results import Refused
from storage.queries.admin import erase_person_rows
from storage.queries.people import find_person


@dataclass
class ErasureReport:
    """What was removed, by kind, for the admin's confirmation."""

    user_id: str
    pairs_ended: int = 0
    removed: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the admin."""
        parts = [f"{n} {kind}" for kind, n in self.removed.items() if n]
        removed = ", ".join(parts) if parts else "no written records"
        return (
            f"Deleted <@{self.user_id}>'s data: {removed}; {self.pairs_ended} open pair(s) ended."
        )


def erase_person(
    session: Session, team_id: str, user_id: str, now: datetime
) -> ErasureReport | Refused:
    """Remove `user_id`'s data in `team_id`, in the caller's transaction (all or nothing)."""
    person = find_person(session, team_id, user_id)
    if person is None or person.erased_at is not None:
        return Refused(f"Tandem holds no data about <@{user_id}>.")
    pairs_ended, removed = erase_person_rows(session, person, now)
    return ErasureReport(user_id=user_id, pairs_ended=pairs_ended, removed=removed)
