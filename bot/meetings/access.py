"""The two people of a pair, as meeting notifications need them."""

from sqlmodel import Session

from bot.core.ids import parse_id
from bot.core.membership import LIVE, Membership, membership_in
from bot.core.results import Refused
from storage.models import Meeting, Pair, Person

NOT_FOUND = "I couldn't find that meeting. It may belong to a pair you're not part of."
NOT_LIVE = (
    "That mentorship isn't active (it has ended, or hasn't started yet), so its meetings "
    "can't change. What you noted stays in your history."
)


def members(session: Session, pair: Pair) -> tuple[Person, Person]:
    """(mentor, mentee)."""
    mentor = session.get(Person, pair.mentor_id)
    mentee = session.get(Person, pair.mentee_id)
    assert mentor is not None and mentee is not None
    return mentor, mentee


def member_user_ids(session: Session, pair: Pair) -> list[str]:
    """The Slack ids of both members (whose quiet hours hold posts in their group DM)."""
    return [person.user_id for person in members(session, pair)]


def name_of(person: Person) -> str:
    """How Tandem names a person in a message."""
    return person.real_name or person.display_name or "your partner"


def live_membership(membership: Membership | None) -> Membership | Refused:
    """The membership if its pair is active or paused (its meetings may change); Refused with
    NOT_FOUND for no membership, NOT_LIVE for an ended, declined or proposed pair."""
    if membership is None:
        return Refused(NOT_FOUND)
    if membership.pair.status not in LIVE:
        return Refused(NOT_LIVE)
    return membership


def meeting_for_member(
    session: Session,
    team_id: str,
    user_id: str,
    meeting_id: int | str | None,
    *,
    to_change: bool = True,
) -> tuple[Membership, Meeting] | Refused:
    """The meeting and the asker's place in its pair, or Refused as if it did not exist.

    Every entry point to a meeting (buttons, modals) goes through here: an outsider learns
    nothing, not even that the meeting exists. Only reading (`to_change=False`) is allowed
    once the pair is no longer active or paused.
    """
    number = parse_id(meeting_id)
    meeting = session.get(Meeting, number) if number is not None else None
    if meeting is None or meeting.team_id != team_id:
        return Refused(NOT_FOUND)
    membership = membership_in(session, meeting.pair_id, team_id, user_id)
    if membership is None:
        return Refused(NOT_FOUND)
    live = live_membership(membership) if to_change else membership
    return live if isinstance(live, Refused) else (live, meeting)
