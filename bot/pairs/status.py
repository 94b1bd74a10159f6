"""`/tandem status`: one section per pair, to which every area adds its own lines.

Extension point: append a `StatusLine` to `STATUS_LINES`. It is called as
`line(session, membership, now)` for each live (active or paused) pair of the person asking,
and returns mrkdwn lines about that pair as that member sees it (e.g. "Next meeting: ...",
"Goals: 2 of 3 on track"); return [] when there is nothing to say. Lines are shown in list
order, under the pair's heading; keep each short. Only the member's own pairs are passed in, so
a line may show anything the two of them may see.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.charter.blocks import ACK_ACTION
from bot.charter.fields import rhythm
from bot.charter.versions import VersionRecord, charter_history
from bot.core.context import Tandem
from bot.core.kit import button, checked_message, context, divider, header, section
from bot.core.membership import LIVE, NO_PAIR, Membership, memberships
from bot.core.people import find_person, person_zone
from bot.goals.status_lines import goal_status_lines
from bot.meetings.status_lines import next_meeting_line
from bot.reflection.signals import health_lines
from storage.models import PairStatus

StatusLine = Callable[[Session, Membership, datetime], list[str]]

# A message holds 50 blocks: a heading, then two per pair.
MAX_PAIRS_SHOWN = 20
OPEN = (PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.PAUSED)


def _current(session: Session, membership: Membership) -> VersionRecord | None:
    history = charter_history(session, membership, limit=1)
    return history.records[0] if history.records else None


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


def _goal_lines(session: Session, membership: Membership, now: datetime) -> list[str]:
    # Overdue is judged on the reader's own calendar day.
    zone = ZoneInfo(membership.me.tz) if membership.me.tz else UTC
    return goal_status_lines(session, membership, now.astimezone(zone).date())


# After the charter line (which pair_section writes itself, loading the charter once).
STATUS_LINES: list[StatusLine] = [next_meeting_line, _goal_lines, health_lines]


def _heading(membership: Membership, zone: Any) -> str:
    pair, partner = membership.pair, membership.partner
    role = "you mentor them" if membership.role == "mentor" else "they mentor you"
    if pair.status == PairStatus.PROPOSED:
        mine = pair.mentor_accepted_at if membership.role == "mentor" else pair.mentee_accepted_at
        state = (
            f"proposed, waiting for <@{partner.user_id}> to accept"
            if mine
            else "proposed, waiting for you to accept (see my DM)"
        )
    elif pair.status == PairStatus.PAUSED:
        until = pair.paused_until.astimezone(zone) if pair.paused_until else None
        state = f"paused until {until.day} {until:%b %Y}" if until else "paused"
    else:
        since = pair.activated_at.astimezone(zone) if pair.activated_at else None
        state = f"active since {since.day} {since:%b %Y}" if since else "active"
    return f"*With <@{partner.user_id}>* ({role}) · {state}"


def pair_section(
    session: Session, membership: Membership, now: datetime, zone: Any
) -> dict[str, Any]:
    """One pair as its member sees it: heading, then every area's status lines."""
    lines = [_heading(membership, zone)]
    extra: dict[str, Any] = {}
    if membership.pair.status in LIVE:
        record = _current(session, membership)
        lines.append(charter_line(record, membership))
        for line in STATUS_LINES:
            lines += line(session, membership, now)
        if record is not None and not record.acked_by(membership.me):
            number = record.version.version
            extra["accessory"] = button(
                f"Acknowledge v{number}", ACK_ACTION, str(record.version.id)
            )
    return section("\n".join(lines), block_id=f"status.pair.{membership.pair.id}", **extra)


def status_message(
    session: Session, ctx: Tandem, team_id: str, user_id: str, now: datetime
) -> dict[str, Any]:
    """The ephemeral answer to `/tandem status`: each of the person's open pairs."""
    mine = memberships(session, team_id, user_id, OPEN)
    if not mine:
        return {"text": NO_PAIR}
    zone = person_zone(find_person(session, team_id, user_id), ctx.settings)
    blocks: list[dict[str, Any]] = [header("Your mentoring pairs")]
    for membership in mine[:MAX_PAIRS_SHOWN]:
        blocks += [pair_section(session, membership, now, zone), divider()]
    if len(mine) > MAX_PAIRS_SHOWN:
        blocks.append(context(f"Showing {MAX_PAIRS_SHOWN} of your {len(mine)} pairs."))
    text = f"You're in {len(mine)} mentoring pair(s)."
    return {"text": text, "blocks": checked_message(blocks)}
