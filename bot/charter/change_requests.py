"""Asking for changes instead of acknowledging: the partner's note reaches the author, who
revises the charter (a new version answers the request).

A request is about the latest version and comes from the member who did not write it; it
is shown to the author in their DM, in `/tandem status` and on Home until a new version.
"""

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.charter.access import member_version
from bot.charter.blocks import OPEN_CHARTER_ACTION
from bot.core.ids import parse_id
from bot.core.kit import (
    actions,
    button,
    checked_message,
    clip,
    context,
    modal,
    mrkdwn_escape,
    notice_modal,
    section,
)
from bot.core.membership import LIVE, Membership, refused_in_place
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.service import enqueue
from storage.models import CharterChangeRequest, CharterVersion, Person
from storage.queries.charter import current_charter
from storage.queries.pairs import find_ack

CHANGES_CALLBACK = "charter.changes"
SENT = "Sent. They'll revise the charter; you'll be asked to acknowledge the new version."
NOTE_BLOCK = "charter.changes.note"
NOTE_LIMIT = 1000
KIND = "charter.changes"


def _name(person: Person) -> str:
    return person.real_name or person.display_name or "your partner"


def _requestable(
    session: Session, team_id: str, user_id: str, version_id: int | None
) -> tuple[Membership, CharterVersion] | Refused:
    found = member_version(session, team_id, user_id, version_id)
    if isinstance(found, Refused):
        return found
    membership, version = found
    if membership.pair.status not in LIVE:
        return Refused("This pair isn't active any more, so its charter can no longer change.")
    if version.author_id == membership.me.id:
        return Refused(
            f"You wrote version {version.version}: to change it, edit it with `/tandem charter`."
        )
    latest = current_charter(session, version.pair_id)
    if latest is not None and latest.version != version.version:
        return Refused(
            f"Version {version.version} has been replaced by version {latest.version}; "
            "please look at that one instead (`/tandem charter history`)."
        )
    if find_ack(session, version.id or 0, membership.me.id or 0) is not None:
        return Refused(
            f"You've acknowledged version {version.version} already. To change it now, "
            "edit it with `/tandem charter`: your edit becomes the next version."
        )
    return membership, version


def changes_modal(session: Session, team_id: str, user_id: str, version_id: int | None) -> Result:
    """The "Ask for changes" modal: what the partner would like different (or, in place of
    the clicked message, why not)."""
    found = _requestable(session, team_id, user_id, version_id)
    if isinstance(found, Refused):
        return refused_in_place(found)
    membership, version = found
    author = membership.partner
    blocks = [
        section(
            f"Tell {mrkdwn_escape(_name(author))} what you'd like different in version "
            f"{version.version}. Until you both agree, the meeting schedule you agreed before "
            "stands."
        ),
        {
            "type": "input",
            "block_id": NOTE_BLOCK,
            "label": {"type": "plain_text", "text": "What should change?"},
            "element": {
                "type": "plain_text_input",
                "action_id": NOTE_BLOCK,
                "multiline": True,
                "max_length": NOTE_LIMIT,
            },
        },
    ]
    view = modal(
        "Ask for changes",
        blocks,
        callback_id=CHANGES_CALLBACK,
        submit="Send",
        metadata={"version": version.id},
    )
    return Reply(modal=view)


def request_changes(
    session: Session,
    team_id: str,
    user_id: str,
    version_id: int | None,
    note: str,
    now: datetime,
) -> CharterChangeRequest | Refused | FieldErrors:
    """Record the partner's request and tell the author (in their DM, with a Revise button)."""
    note = note.replace("\r\n", "\n").strip()
    if not note:
        return FieldErrors({NOTE_BLOCK: "Say in a sentence what you'd like to change."})
    if len(note) > NOTE_LIMIT:
        return FieldErrors(
            {NOTE_BLOCK: f"Please keep this under {NOTE_LIMIT} characters (it has {len(note)})."}
        )
    found = _requestable(session, team_id, user_id, version_id)
    if isinstance(found, Refused):
        return found
    membership, version = found
    request = CharterChangeRequest(
        team_id=team_id,
        pair_id=version.pair_id,
        charter_version_id=version.id or 0,
        requester_id=membership.me.id or 0,
        note=note,
        created_at=now,
    )
    session.add(request)
    session.flush()
    author = membership.partner
    title = f"{_name(membership.me)} asked for changes to version {version.version} of your charter"
    blocks = [
        section(f"*<@{membership.me.user_id}> asked for changes to version {version.version}:*"),
        section(f"> {mrkdwn_escape(clip(note, NOTE_LIMIT))}".replace("\n", "\n> ")),
        context("Revise the charter: your new version goes to them to acknowledge."),
        actions(
            button(
                "Revise the charter", OPEN_CHARTER_ACTION, str(version.pair_id), style="primary"
            ),
            block_id=f"charter.changes.{request.id}",
        ),
    ]
    enqueue(
        session,
        team_id=team_id,
        key=f"{KIND}:{version.pair_id}:{request.id}",
        kind=KIND,
        channel=author.user_id,
        recipient_user_id=author.user_id,
        text=title,
        blocks=checked_message(blocks),
        deliver_after=now,
        pair_id=version.pair_id,
    )
    return request


def submit_changes(
    session: Session, team_id: str, user_id: str, view: dict[str, Any], now: datetime
) -> Result:
    """The "Ask for changes" modal's submission: sent (the modal says so), or why not."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    values = (view.get("state") or {}).get("values") or {}
    note = ((values.get(NOTE_BLOCK) or {}).get(NOTE_BLOCK) or {}).get("value") or ""
    version_id = parse_id(metadata.get("version")) if isinstance(metadata, dict) else None
    sent = request_changes(session, team_id, user_id, version_id, str(note), now)
    if isinstance(sent, Refused | FieldErrors):
        return sent
    return Reply(modal=notice_modal(SENT), queued=True)
