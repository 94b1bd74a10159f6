"""Meeting notes by author: shared notes keep each member's part (nobody overwrites the
other's words), and each member may keep private notes that only they ever see.

The meeting's own discussed / lesson / next actions columns hold the shared parts put
together (what reminders quote as "last time's next actions"); the parts are the record.
Private notes are never put together, quoted, exported or shown to admins.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.membership import Membership
from bot.meetings.members import name_of
from storage.models import Meeting, MeetingNote, Person
from storage.queries.notes import note_by, notes_of

PARTS = ("discussed", "lesson", "next_actions")


@dataclass(frozen=True)
class NoteParts:
    """One author's words on a meeting."""

    discussed: str = ""
    lesson: str = ""
    next_actions: str = ""

    @property
    def empty(self) -> bool:
        """Whether nothing at all was written."""
        return not (self.discussed or self.lesson or self.next_actions)


def my_parts(session: Session, meeting: Meeting, me: Person) -> tuple[NoteParts, str]:
    """(my shared part, my private notes) of a meeting, to prefill the notes form.

    Notes written before parts were kept by author count as the writer's own part.
    """
    shared = note_by(session, meeting.id or 0, me.id or 0, private=False)
    private = note_by(session, meeting.id or 0, me.id or 0, private=True)
    if shared is not None:
        mine = NoteParts(shared.discussed, shared.lesson, shared.next_actions)
    elif meeting.logged_by_id == me.id and not _has_parts(session, meeting):
        mine = NoteParts(meeting.discussed, meeting.lesson, meeting.next_actions)
    else:
        mine = NoteParts()
    return mine, private.discussed if private is not None else ""


def _has_parts(session: Session, meeting: Meeting) -> bool:
    return any(not note.private for note in notes_of(session, meeting.id or 0))


def partner_part(session: Session, meeting: Meeting, membership: Membership) -> NoteParts:
    """What the partner wrote in the shared notes (shown, read-only, above my own part)."""
    note = note_by(session, meeting.id or 0, membership.partner.id or 0, private=False)
    if note is not None:
        return NoteParts(note.discussed, note.lesson, note.next_actions)
    if meeting.logged_by_id == membership.partner.id and not _has_parts(session, meeting):
        return NoteParts(meeting.discussed, meeting.lesson, meeting.next_actions)
    return NoteParts()


def _upsert(
    session: Session,
    meeting: Meeting,
    author: Person,
    private: bool,
    parts: NoteParts,
    now: datetime,
) -> None:
    note = note_by(session, meeting.id or 0, author.id or 0, private)
    if note is None:
        if parts.empty:
            return
        note = MeetingNote(
            team_id=meeting.team_id,
            pair_id=meeting.pair_id,
            meeting_id=meeting.id or 0,
            author_id=author.id or 0,
            private=private,
            created_at=now,
        )
    note.discussed, note.lesson, note.next_actions = (
        parts.discussed,
        parts.lesson,
        parts.next_actions,
    )
    note.updated_at = now
    session.add(note)


def _combined(session: Session, meeting: Meeting) -> NoteParts:
    """The shared parts put together: one author's words as they are, two named."""
    shared = [note for note in notes_of(session, meeting.id or 0) if not note.private]
    shared = [n for n in shared if not NoteParts(n.discussed, n.lesson, n.next_actions).empty]
    if len(shared) <= 1:
        only = shared[0] if shared else None
        return NoteParts(*(getattr(only, part) if only else "" for part in PARTS))
    names = {n.author_id: name_of(session.get(Person, n.author_id)) for n in shared}  # type: ignore[arg-type]

    def joined(part: str) -> str:
        return "\n".join(
            f"{names[n.author_id]}: {getattr(n, part)}" for n in shared if getattr(n, part)
        )

    return NoteParts(*(joined(part) for part in PARTS))


def save_parts(
    session: Session,
    meeting: Meeting,
    author: Person,
    shared: NoteParts,
    private: str,
    now: datetime,
) -> None:
    """Keep `author`'s shared part and private notes, and put the shared parts together.

    Before parts were kept, the meeting's columns were the only copy: the first author to
    save after that keeps the earlier writer's words as that writer's part.
    """
    if not _has_parts(session, meeting) and meeting.logged_by_id not in (None, author.id):
        earlier = NoteParts(meeting.discussed, meeting.lesson, meeting.next_actions)
        writer = session.get(Person, meeting.logged_by_id)
        if writer is not None and not earlier.empty:
            _upsert(session, meeting, writer, False, earlier, now)
    _upsert(session, meeting, author, False, shared, now)
    _upsert(session, meeting, author, True, NoteParts(discussed=private), now)
    session.flush()
    together = _combined(session, meeting)
    meeting.discussed, meeting.lesson = together.discussed, together.lesson
    meeting.next_actions = together.next_actions
    session.add(meeting)
