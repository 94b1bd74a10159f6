"""The charter's part of `/tandem status` and the App Home: the current version in brief,
whether both have acknowledged it, the button to acknowledge it, and changes asked for."""

from datetime import datetime

from sqlmodel import Session

from bot.charter.blocks import ACK_ACTION
from bot.charter.fields import rhythm
from bot.charter.versions import VersionRecord, current_records
from bot.core.context import StatusLines
from bot.core.kit import button, clip, mrkdwn_escape
from bot.core.membership import Membership
from storage.queries.pairs import open_change_requests


def charter_line(record: VersionRecord | None, membership: Membership) -> str:
    """The current charter version in brief, and whether both have acknowledged it."""
    if record is None:
        return "Charter: not written yet. Start it with `/tandem charter`."
    partner = membership.partner
    if record.acked_by(membership.me) and record.acked_by(partner):
        acked = "Acknowledged by both of you"
    elif record.acked_by(membership.me):
        acked = f"Waiting for <@{partner.user_id}> to acknowledge"
    else:
        acked = "Waiting for you to acknowledge"
    return f"Charter v{record.version.version}: {rhythm(record.version)}. {acked}."


def constraints_line(record: VersionRecord | None, membership: Membership) -> str | None:
    """Each side's constraints in the current charter, as its reader sees them (None when
    neither wrote any): what the two of them plan around this quarter."""
    if record is None:
        return None
    version = record.version
    by_role = {"mentor": version.mentor_constraints, "mentee": version.mentee_constraints}
    partner_role = "mentee" if membership.role == "mentor" else "mentor"
    sides = [
        ("you", by_role.get(membership.role, "")),
        (f"<@{membership.partner.user_id}>", by_role[partner_role]),
    ]
    said = [f"{who}: “{mrkdwn_escape(clip(text, 120))}”" for who, text in sides if text]
    return "Constraints · " + " · ".join(said) if said else None


def charter_status(
    session: Session, memberships: list[Membership], now: datetime
) -> dict[int, StatusLines]:
    """The charter line of each pair, with an Acknowledge button while the reader has not
    signed it (every pair's current version read together: three statements)."""
    records = current_records(session, [m.pair.id or 0 for m in memberships])
    return {m.pair.id or 0: _status(records.get(m.pair.id or 0), m) for m in memberships}


def _status(record: VersionRecord | None, membership: Membership) -> StatusLines:
    acknowledge = None
    if record is not None and not record.acked_by(membership.me):
        number = record.version.version
        acknowledge = button(f"Acknowledge v{number}", ACK_ACTION, str(record.version.id))
    lines = [charter_line(record, membership)]
    constraints = constraints_line(record, membership)
    if constraints:
        lines.append(constraints)
    return StatusLines(lines, acknowledge)


def change_request_status(
    session: Session, mine: list[Membership], now: datetime
) -> dict[int, list[str]]:
    """Pair id → the line about its open change request, as this member sees it (one query for
    all their pairs; pairs without one are absent)."""
    by_pair = {m.pair.id: m for m in mine}
    lines: dict[int, list[str]] = {}
    for request in open_change_requests(session, [p for p in by_pair if p is not None]):
        membership = by_pair[request.pair_id]
        note = mrkdwn_escape(clip(request.note, 200))
        if request.requester_id == membership.me.id:
            lines[request.pair_id] = [
                f"You asked <@{membership.partner.user_id}> for changes: “{note}”"
            ]
        else:
            lines[request.pair_id] = [
                f":memo: <@{membership.partner.user_id}> asked for changes: “{note}”. "
                "Revise it with `/tandem charter`."
            ]
    return lines
