"""The daily digest: DMs over a person's daily limit, folded into one message next morning."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.core.kit import checked_message, clip, context, divider, header, section
from bot.delivery.service import dm_member
from storage.models import OutboxMessage, OutboxStatus
from storage.queries.delivery import folded_rows, mark_folded_delivered

DIGEST_KIND = "digest"
# A message holds 50 blocks: a header, a divider, the items, and a line saying how many more.
MAX_ITEMS = 45


def digest_key(team_id: str, user_id: str, day: date) -> str:
    """The one digest a person gets for the overflow of `day` (their local date)."""
    return f"{DIGEST_KIND}:{team_id}:{user_id}:{day.isoformat()}"


def fold(
    session: Session,
    row: OutboxMessage,
    day: date,
    deliver_at: datetime,
) -> str:
    """Fold claimed DM `row` into its recipient's digest for `day`; returns the digest key.

    The digest row is queued once (its key is unique); its text is written when it is sent,
    from whatever is still folded into it and not yet too late.
    """
    user_id = row.recipient_user_id or row.channel
    key = digest_key(row.team_id, user_id, day)
    dm_member(
        session,
        user_id,
        team_id=row.team_id,
        key=key,
        kind=DIGEST_KIND,
        text="Tandem: what I held back yesterday",
        deliver_after=deliver_at,
        exempt_from_cap=True,
    )
    return key


def first_line(text: str) -> str:
    """The first non-empty line of a message's text (how it reads in a notification)."""
    return next((line for line in (text or "").splitlines() if line.strip()), "")


def _texts(block: dict[str, Any]) -> list[str]:
    """The words a block shows: a header's or section's text, a context's elements."""
    if block.get("type") in ("header", "section") and isinstance(block.get("text"), dict):
        return [str(block["text"].get("text", ""))]
    if block.get("type") == "context":
        return [str(e.get("text", "")) for e in block.get("elements", []) if isinstance(e, dict)]
    return []


def _content(row: OutboxMessage) -> str:
    """What the folded message said: the text of its header, sections and context lines
    (its link, its goal, its question), not only its notification line."""
    parts = [text for block in row.blocks or [] for text in _texts(block)]
    return "\n".join(part for part in parts if part.strip()) or row.text


def _main_button(row: OutboxMessage) -> dict[str, Any] | None:
    """The folded message's main button (its primary one, else its first), to keep in the
    digest so the item can be acted on from there."""
    buttons = [
        element
        for block in row.blocks or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
    primary = [b for b in buttons if b.get("style") == "primary"]
    return (primary or buttons or [None])[0]


def item(row: OutboxMessage) -> dict[str, Any]:
    """A folded message as one section: its content, and its main button beside it."""
    button = _main_button(row)
    extra = {"accessory": button} if button is not None else {}
    return section(clip(_content(row), 2900), **extra)


def compose(session: Session, digest: OutboxMessage, now: datetime) -> dict[str, Any] | None:
    """Text and blocks of `digest` from its folded messages, or None when none still matters.

    Each item keeps its content and its main button. Folded messages that became too late
    (an invitation whose moment passed) are recorded as expired here, and said so in one
    line each.
    """
    folded = folded_rows(session, digest.key)
    live, stale = [], []
    for row in folded:
        if row.expires_at is not None and row.expires_at <= now:
            row.status = OutboxStatus.EXPIRED
            row.last_error = "too late by the time the digest went out"
            session.add(row)
            stale.append(row)
        else:
            live.append(row)
    if not live:
        return None
    shown = live[:MAX_ITEMS]
    blocks = [header("What I held back yesterday"), divider()]
    blocks += [item(row) for row in shown]
    if len(live) > len(shown):
        blocks.append(context(f"…and {len(live) - len(shown)} more."))
    if stale:
        blocks.append(
            context(
                clip(
                    "\n".join(
                        f"No longer needed (its moment passed): {clip(first_line(r.text), 150)}"
                        for r in stale
                    ),
                    2900,
                )
            )
        )
    text = "To keep your DMs calm I folded these into one message:\n" + "\n".join(
        f"• {clip(first_line(row.text), 200)}" for row in live
    )
    return {"text": clip(text, 3900), "blocks": checked_message(blocks)}


def mark_delivered(session: Session, key: str, now: datetime, channel: str, ts: str) -> None:
    """Record that the messages folded into digest `key` reached the person inside it."""
    mark_folded_delivered(session, key, now, channel, ts)
