"""Meeting notes by author: each member's shared part and their private notes."""

from sqlmodel import Session, col, func, select

from storage.models import Meeting, MeetingNote, MeetingStatus


def notes_of(session: Session, meeting_id: int) -> list[MeetingNote]:
    """Every note row of one meeting (shared and private: callers filter by reader)."""
    return list(
        session.exec(
            select(MeetingNote)
            .where(MeetingNote.meeting_id == meeting_id)
            .order_by(col(MeetingNote.created_at), col(MeetingNote.id))
        )
    )


def note_by(session: Session, meeting_id: int, author_id: int, private: bool) -> MeetingNote | None:
    """One author's shared or private note on a meeting."""
    return session.exec(
        select(MeetingNote).where(
            MeetingNote.meeting_id == meeting_id,
            MeetingNote.author_id == author_id,
            MeetingNote.private == private,
        )
    ).first()


def held_meetings_page(
    session: Session, pair_id: int, offset: int, limit: int
) -> tuple[list[Meeting], int]:
    """One page of the pair's held meetings, newest first, and how many there are in all."""
    where = (Meeting.pair_id == pair_id, Meeting.status == MeetingStatus.MET)
    total = session.exec(select(func.count()).select_from(Meeting).where(*where)).one()
    rows = session.exec(
        select(Meeting)
        .where(*where)
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total)


def readable_notes(session: Session, meeting_ids: list[int], reader_id: int) -> list[MeetingNote]:
    """The notes of these meetings `reader_id` may read: every shared part, and their own
    private notes (never the partner's), in one query for a whole page."""
    if not meeting_ids:
        return []
    return list(
        session.exec(
            select(MeetingNote)
            .where(
                col(MeetingNote.meeting_id).in_(meeting_ids),
                (col(MeetingNote.private).is_(False)) | (MeetingNote.author_id == reader_id),
            )
            .order_by(col(MeetingNote.created_at), col(MeetingNote.id))
        )
    )
