"""Tandem's routine nudges that come due together for one person go out as one message.

A review invitation, an anniversary and a giving-back ask released on the same morning (the
quiet hours held them all night, or they fell due in the same tick) are one DM with a section
each, not three. Relays of what someone did (a share, feedback) stay messages of their own:
each is news from a person. Only rows this sender claimed in the same pass are bundled, so no other
sender can be posting one of them; the first row carries the others, which are recorded as
folded into it (and as sent with it once it is). The bundle counts once against the daily
limit. Time-critical messages and answers are never bundled: each keeps its own moment.
"""

from typing import Any

from sqlmodel import Session

from bot.core.kit import BlockKitLimitError, checked_message, clip, divider
from bot.delivery.claims import update_claimed
from bot.delivery.digest import DIGEST_KIND, first_line, item
from bot.delivery.kind_rules import ROUTINE, is_nudge, priority
from storage.models import OutboxMessage, OutboxStatus


def bundles(rows: list[OutboxMessage]) -> dict[int, list[OutboxMessage]]:
    """Carrier row id → the rows it carries: each person's routine nudges among `rows` (the
    first of them carries the rest); people with a single one are left out."""
    by_person: dict[tuple[str, str], list[OutboxMessage]] = {}
    for row in rows:
        if (
            row.recipient_user_id
            and row.kind != DIGEST_KIND
            and is_nudge(row.kind, row.key)
            and priority(row.kind, row.exempt_from_cap) == ROUTINE
        ):
            by_person.setdefault((row.team_id, row.recipient_user_id), []).append(row)
    return {group[0].id or 0: group[1:] for group in by_person.values() if len(group) > 1}


def carry(
    session: Session,
    carrier: OutboxMessage,
    text: str,
    blocks: list[dict[str, Any]] | None,
    riders: list[OutboxMessage],
) -> tuple[str, list[dict[str, Any]] | None, bool]:
    """The carrier's message with a section for each rider (its content and main button),
    written on the carrier (a retry posts the same) and the riders folded into it, and True.
    The carrier's own message and False when there are none, or the whole would not fit."""
    if not riders:
        return text, blocks, False
    own = blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 2900)}}]
    combined = list(own)
    for rider in riders:
        combined += [divider(), item(rider)]
    try:
        combined = checked_message(combined)
    except BlockKitLimitError:
        return text, blocks, False
    whole = clip("\n".join([text, *(f"• {first_line(r.text)}" for r in riders)]), 3900)
    update_claimed(session, carrier, text=whole, blocks=combined)
    # Also in hand: a carrier Slack asks us to post again later in this pass posts the whole.
    carrier.text, carrier.blocks = whole, combined
    for rider in riders:
        update_claimed(
            session,
            rider,
            status=OutboxStatus.FOLDED,
            folded_into=carrier.key,
            lease_until=None,
            last_error="sent in one message with others due at the same time",
        )
    return whole, combined, True


def carries(row: OutboxMessage) -> bool:
    """Whether a sent row may have carried others (its riders are then recorded as sent)."""
    return (
        bool(row.recipient_user_id)
        and is_nudge(row.kind, row.key)
        and priority(row.kind, row.exempt_from_cap) == ROUTINE
    )
