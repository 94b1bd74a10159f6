"""`/tandem notes`: the pair's past meetings, newest first, a page at a time: the date, the
shared notes (each author's part), my private notes, and the next actions.

Only the two members can open it, and each sees only their own private notes; the
programme's admins have no way in (they are answered like anyone outside the pair).
"""

from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core import slack_time
from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import (
    actions,
    button,
    checked_message,
    clip,
    context,
    header,
    mrkdwn_escape,
    section,
)
from bot.core.membership import LIVE, Membership, membership_in, resolve_pair
from bot.core.mentions import strip_mentions
from bot.core.people import person_zone
from bot.core.results import Refused, Reply, Result
from bot.meetings.members import name_of
from storage.models import Meeting, MeetingNote, PairStatus, Person
from storage.queries.notes import held_meetings_page, readable_notes

PAGE_ACTION = "meeting.notes.page"
PAGE_SIZE = 5
PART_LIMIT = 600  # per part on a page: five meetings must fit one message
NONE_YET = (
    "No notes yet: once you've met, click “Met” on my “did you meet?” message "
    "(or record a meeting with `/tandem log`) and write what you discussed."
)
PICK_PARTNER = "You're in more than one pair: add your partner, e.g. `/tandem notes @partner`."
NOT_FOUND = "I couldn't find those notes. `/tandem notes` shows your pair's."


def _shown(text: str) -> str:
    return mrkdwn_escape(clip(text, PART_LIMIT))


def _meeting_section(
    meeting: Meeting, notes: list[MeetingNote], me: Person, names: dict[int, str], zone: ZoneInfo
) -> dict[str, Any]:
    lines = [f"*{slack_time.when(meeting.starts_at, zone)}*"]
    shared = [n for n in notes if not n.private]
    if not shared and (meeting.discussed or meeting.lesson):
        # Written before each author's part was kept.
        shared_lines = [_shown(t) for t in (meeting.discussed, meeting.lesson) if t]
        lines += shared_lines
    for note in shared:
        words = " · ".join(_shown(t) for t in (note.discussed, note.lesson) if t)
        if words:
            who = "You" if note.author_id == me.id else names.get(note.author_id, "Your partner")
            lines.append(f"_{who}:_ {words}")
    actions_text = [_shown(n.next_actions) for n in shared if n.next_actions] or (
        [_shown(meeting.next_actions)] if meeting.next_actions and not shared else []
    )
    if actions_text:
        lines.append("*Next actions:* " + " / ".join(actions_text))
    private = next((n for n in notes if n.private and n.author_id == me.id and n.discussed), None)
    if private is not None:
        lines.append(f":lock: *My private notes:* {_shown(private.discussed)}")
    if len(lines) == 1:
        lines.append("_No notes written._")
    return section("\n".join(lines))


def notes_page(
    session: Session, membership: Membership, page: int, zone: ZoneInfo
) -> dict[str, Any]:
    """One page of the pair's meeting notes, as `membership.me` may see them."""
    page = max(page, 0)
    meetings, total = held_meetings_page(
        session, membership.pair.id or 0, page * PAGE_SIZE, PAGE_SIZE
    )
    if total == 0:
        return {"text": NONE_YET}
    if not meetings:  # past the last page (meetings were removed meanwhile)
        page = (total - 1) // PAGE_SIZE
        meetings, total = held_meetings_page(
            session, membership.pair.id or 0, page * PAGE_SIZE, PAGE_SIZE
        )
    notes = readable_notes(session, [m.id or 0 for m in meetings], membership.me.id or 0)
    names = {membership.partner.id or 0: name_of(membership.partner)}
    partner = name_of(membership.partner)
    blocks: list[dict[str, Any]] = [header(f"Meeting notes with {partner}")]
    for meeting in meetings:
        blocks.append(
            _meeting_section(
                meeting,
                [n for n in notes if n.meeting_id == meeting.id],
                membership.me,
                names,
                zone,
            )
        )
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    nav = []
    if page > 0:
        nav.append(button("← Newer", PAGE_ACTION, f"{membership.pair.id}:{page - 1}"))
    if page + 1 < pages:
        nav.append(button("Older →", PAGE_ACTION, f"{membership.pair.id}:{page + 1}"))
    blocks.append(context(f"Page {page + 1} of {pages} · {total} meeting(s). Only you see this."))
    if nav:
        blocks.append(actions(*nav, block_id="meeting.notes.nav"))
    return {
        "text": f"Meeting notes with {partner} (page {page + 1} of {pages})",
        "blocks": checked_message(blocks),
    }


def notes_command(ctx: Tandem, session: Session, team_id: str, user_id: str, args: str) -> Result:
    """`/tandem notes [@partner] [page]`: the first (or given) page of the pair's notes.
    Ended pairs count too: what they wrote stays theirs to read."""
    statuses = (*LIVE, PairStatus.ENDED)
    found = resolve_pair(session, team_id, user_id, args, statuses=statuses)
    if isinstance(found, Refused):
        return found
    if isinstance(found, list):
        return Refused(PICK_PARTNER)
    words = strip_mentions(args).split()
    page = int(words[0]) - 1 if words and words[0].isdigit() and int(words[0]) > 0 else 0
    shown = notes_page(session, found, page, person_zone(found.me, ctx.settings))
    return Reply(text=shown["text"], blocks=shown.get("blocks"))


def turn_page(ctx: Tandem, session: Session, team_id: str, user_id: str, value: str) -> Result:
    """The Newer / Older buttons: the asked-for page, re-checked against the pair."""
    pair_text, _, page_text = (value or "").partition(":")
    pair_id, page = parse_id(pair_text), parse_id(page_text)
    membership = membership_in(session, pair_id, team_id, user_id) if pair_id else None
    if membership is None or page is None:
        return Reply(page={"text": NOT_FOUND})
    return Reply(
        page=notes_page(session, membership, page, person_zone(membership.me, ctx.settings))
    )
