"""The charter's part of `/tandem status` and the App Home: the current version in brief,
whether both have acknowledged it, and the button to acknowledge it."""

from datetime import datetime

from sqlmodel import Session

from bot.charter.blocks import ACK_ACTION
from bot.charter.fields import rhythm
from bot.charter.versions import VersionRecord, current_records
from bot.core.context import StatusLines
from bot.core.kit import button
from bot.core.membership import Membership


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
    return StatusLines([charter_line(record, membership)], acknowledge)
