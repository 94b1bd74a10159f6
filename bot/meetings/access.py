"""Who may act on a pair's meetings: only its two members; outsiders learn nothing, not even
that a meeting exists. Meetings change only while the pair is active or paused."""

from sqlmodel import Session

from bot.core.ids import parse_id
from bot.core.membership import LIVE, Membership, Refusals, guard
from bot.core.results import Refused
from storage.models import Meeting, PairStatus

NOT_FOUND = "I couldn't find that meeting. It may belong to a pair you're not part of."
NOT_LIVE = (
    "That mentorship isn't active (it has ended, or hasn't started yet), so its meetings "
    "can't change. What you noted stays in your history."
)
REFUSALS = Refusals(NOT_FOUND, {status: NOT_LIVE for status in PairStatus if status not in LIVE})


def member_of(
    session: Session, team_id: str, user_id: str, pair_id: object, *, to_change: bool = True
) -> Membership | Refused:
    """The asker's membership of pair `pair_id` (a button value or metadata, parsed here);
    NOT_FOUND when they are not in it, NOT_LIVE when it is to change and the pair is not live."""
    statuses = LIVE if to_change else tuple(PairStatus)
    return guard(session, team_id, user_id, parse_id(pair_id), REFUSALS, statuses)


def meeting_for_member(
    session: Session,
    team_id: str,
    user_id: str,
    meeting_id: int | str | None,
    *,
    to_change: bool = True,
) -> tuple[Membership, Meeting] | Refused:
    """The meeting and the asker's place in its pair, or Refused as if it did not exist.

    Every entry point to a meeting (buttons, modals) goes through here. Only reading
    (`to_change=False`) is allowed once the pair is no longer active or paused.
    """
    number = parse_id(meeting_id)
    # To change it, the row is re-read under a lock (PostgreSQL; SQLite's writers take
    # turns): both members clicking at once, or a double click, then record one outcome,
    # the second seeing what the first did.
    meeting = (
        session.get(Meeting, number, with_for_update=to_change, populate_existing=to_change)
        if number is not None
        else None
    )
    if meeting is None or meeting.team_id != team_id:
        return Refused(NOT_FOUND)
    membership = member_of(session, team_id, user_id, meeting.pair_id, to_change=to_change)
    return membership if isinstance(membership, Refused) else (membership, meeting)
