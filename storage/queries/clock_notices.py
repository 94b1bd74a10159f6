"""What each member last knew of their meeting's time: the reference a clock-change notice
compares with (bot/meetings/nudges.py), read for a batch of series in three statements.

Each read names the batch's pairs as well as their series: a series belongs to one pair, so
the rows are the same, but `meeting.pair_id` is indexed (with status) and `series_id` is not;
without it the database walks every meeting of that status in the programme, per batch."""

from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage.models import Meeting, MeetingStatus, OutboxMessage, OutboxStatus

# How far back a skipped occurrence may still be what someone last heard (a pause lasts a
# year at most; bot/meetings/pause.py).
SKIPPED_LOOK_BACK = timedelta(days=400)
REMINDER_KIND = "meeting.reminder"  # bot/meetings/keys.py (storage does not import the bot)


def last_kept_occurrences(
    session: Session, pair_ids: list[int], series_ids: list[int], before: datetime
) -> dict[int, datetime]:
    """Per series (of `pair_ids`): its latest occurrence before `before` that was held or still
    expected (met, or scheduled and unanswered); skipped and cancelled ones are left out."""
    if not series_ids:
        return {}
    rows = session.exec(
        select(Meeting.series_id, func.max(Meeting.occurrence_at))
        .where(
            col(Meeting.pair_id).in_(pair_ids),
            col(Meeting.series_id).in_(series_ids),
            col(Meeting.status).in_([MeetingStatus.MET, MeetingStatus.SCHEDULED]),
            col(Meeting.occurrence_at).is_not(None),
            col(Meeting.occurrence_at) < before,
        )
        .group_by(col(Meeting.series_id))
    )
    return {series_id: at for series_id, at in rows if series_id is not None and at is not None}


def skipped_and_told(
    session: Session, pair_ids: list[int], series_ids: list[int], before: datetime
) -> dict[int, list[tuple[datetime, set[str]]]]:
    """Per series (of `pair_ids`): its skipped occurrences before `before` (a year back at
    most), each with the people whose reminder (or clock notice) for it was sent before it
    was skipped."""
    if not series_ids:
        return {}
    skipped = list(
        session.exec(
            select(Meeting).where(
                col(Meeting.pair_id).in_(pair_ids),
                col(Meeting.series_id).in_(series_ids),
                Meeting.status == MeetingStatus.SKIPPED,
                col(Meeting.occurrence_at).is_not(None),
                col(Meeting.occurrence_at) < before,
                col(Meeting.occurrence_at) >= before - SKIPPED_LOOK_BACK,
            )
        )
    )
    told: dict[int, set[str]] = {meeting.id or 0: set() for meeting in skipped}
    if skipped:
        prefixes = [f"{REMINDER_KIND}:{m.pair_id}:{m.id}." for m in skipped]
        # Sent is checked here, not in SQL: a status there draws the database to the
        # (status, deliver_after) index, every message ever sent, over the pairs' own.
        rows = session.exec(
            select(OutboxMessage.key, OutboxMessage.recipient_user_id, OutboxMessage.status).where(
                col(OutboxMessage.pair_id).in_({m.pair_id for m in skipped}),
                OutboxMessage.kind == REMINDER_KIND,
                or_(*(col(OutboxMessage.key).startswith(p, autoescape=True) for p in prefixes)),
            )
        )
        for key, user, status in rows:
            meeting_id = int(key.split(":")[2].split(".")[0])
            if user and status == OutboxStatus.SENT and meeting_id in told:
                told[meeting_id].add(user)
    found: dict[int, list[tuple[datetime, set[str]]]] = {}
    for meeting in skipped:
        if meeting.series_id is not None and meeting.occurrence_at is not None:
            found.setdefault(meeting.series_id, []).append(
                (meeting.occurrence_at, told[meeting.id or 0])
            )
    return found
