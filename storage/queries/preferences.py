"""People's own nudge preferences: quiet hours, muted kinds and snoozes, read in one go."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import NudgeSnooze, Preference


@dataclass
class Own:
    """One person's preferences as the sender needs them."""

    quiet_hours: tuple[str | None, str | None] = (None, None)
    muted_kinds: list[str] = field(default_factory=list)
    snoozes: dict[str, datetime] = field(default_factory=dict)
    reminders: str | None = None  # their meeting-reminder choice (None: the pair's settings)


def preferences_of(session: Session, person_ids: list[int]) -> dict[int, Own]:
    """Person id → their preferences, for those who set any (two queries for everyone)."""
    if not person_ids:
        return {}
    found: dict[int, Own] = {}
    for pref in session.exec(select(Preference).where(col(Preference.person_id).in_(person_ids))):
        found[pref.person_id] = Own(
            (pref.quiet_hours_start, pref.quiet_hours_end),
            list(pref.muted_kinds or []),
            reminders=pref.reminders,
        )
    for snooze in session.exec(
        select(NudgeSnooze).where(col(NudgeSnooze.person_id).in_(person_ids))
    ):
        found.setdefault(snooze.person_id, Own()).snoozes[snooze.kind] = snooze.until
    return found


def preference_row(session: Session, person_id: int) -> Preference | None:
    """A person's preference row, if they saved one."""
    return session.get(Preference, person_id)


def snoozes_of(session: Session, person_id: int) -> list[NudgeSnooze]:
    """A person's snoozes of whole kinds of nudge."""
    return list(session.exec(select(NudgeSnooze).where(NudgeSnooze.person_id == person_id)))


def end_snoozes(session: Session, person_id: int) -> None:
    """End every snooze of a person's."""
    session.exec(delete(NudgeSnooze).where(col(NudgeSnooze.person_id) == person_id))  # type: ignore[call-overload]
