"""The charter's part of `/tandem status` and the App Home: the current version in brief,
whether both have acknowledged it, and the button to acknowledge it."""

from datetime import datetime

from sqlmodel import Session

from bot.charter.blocks import ACK_ACTION
from bot.charter.fields import rhythm
from bot.charter.versions import VersionRecord, charter_history
from bot.core.kit import button
from bot.core.membership import Membership
from bot.core.parts import StatusLines


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


def charter_status(session: Session, membership: Membership, now: datetime) -> StatusLines:
    """The charter line, with an Acknowledge button while the reader has not signed it (the
    charter is loaded once for both)."""
    history = charter_history(session, membership, limit=1)
    record = history.records[0] if history.records else None
    acknowledge = None
    if record is not None and not record.acked_by(membership.me):
        number = record.version.version
        acknowledge = button(f"Acknowledge v{number}", ACK_ACTION, str(record.version.id))
    return StatusLines([charter_line(record, membership)], acknowledge)
