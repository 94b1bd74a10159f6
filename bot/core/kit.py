"""Small Block Kit pieces every surface uses, kept inside Slack's limits."""

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.limits import validate_message_blocks, validate_view

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
MODAL_TITLE_LIMIT = 24


class BlockKitLimitError(ValueError):
    """A view builder produced something Slack would refuse: a bug in Tandem, not user error."""


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn_escape(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in text."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str, **extra: Any) -> dict[str, Any]:
    """A mrkdwn section, clipped to Slack's 3000 characters."""
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": clip(text, SECTION_TEXT_LIMIT)},
        **extra,
    }


def header(text: str) -> dict[str, Any]:
    """A header block (plain text, 150 characters at most)."""
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_TEXT_LIMIT)}}


def context(text: str) -> dict[str, Any]:
    """A context line in small grey type."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 3000)}]}


def divider() -> dict[str, Any]:
    """A divider."""
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str | None = None, style: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A button; `style` is "primary" or "danger"."""
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, BUTTON_TEXT_LIMIT), "emoji": True},
        "action_id": action_id,
        **extra,
    }
    if value is not None:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> dict[str, Any]:
    """An actions block holding `elements`."""
    block: dict[str, Any] = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def plain(text: str) -> dict[str, str]:
    """A plain_text object (titles, labels, button words)."""
    return {"type": "plain_text", "text": text}


def date_time_inputs(
    initial: datetime, zone: ZoneInfo, label: str, date_block: str, time_block: str
) -> list[dict[str, Any]]:
    """A date picker and a time picker (labelled `label` and "Time"), both set to `initial` as
    read in `zone`, the time's hint naming that zone."""
    local = initial.astimezone(zone)
    return [
        {
            "type": "input",
            "block_id": date_block,
            "label": plain(label),
            "element": {
                "type": "datepicker",
                "action_id": date_block,
                "initial_date": local.strftime("%Y-%m-%d"),
            },
        },
        {
            "type": "input",
            "block_id": time_block,
            "label": plain("Time"),
            "hint": plain(f"In your timezone, {zone.key}."),
            "element": {
                "type": "timepicker",
                "action_id": time_block,
                "initial_time": local.strftime("%H:%M"),
            },
        },
    ]


def modal(
    title: str,
    blocks: list[dict[str, Any]],
    *,
    callback_id: str | None = None,
    submit: str | None = None,
    close: str = "Cancel",
    metadata: Any = None,
) -> dict[str, Any]:
    """A modal checked against Slack's limits: without `submit` it only has its close button;
    `metadata` (any JSON value) travels as private_metadata, compact to spare Slack's 3000."""
    view: dict[str, Any] = {
        "type": "modal",
        "title": plain(clip(title, MODAL_TITLE_LIMIT)),
        "close": plain(close),
        "blocks": blocks,
    }
    if callback_id:
        view["callback_id"] = callback_id
    if submit:
        view["submit"] = plain(submit)
    if metadata is not None:
        view["private_metadata"] = json.dumps(metadata, separators=(",", ":"))
    return checked_view(view)


def notice_modal(text: str, title: str = "Tandem", *, close: str = "Close") -> dict[str, Any]:
    """A modal that only says something: a confirmation, or why nothing happened."""
    return modal(title, [section(text)], close=close)


def checked_message(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`blocks` if Slack would accept them in a message, else BlockKitLimitError."""
    problems = validate_message_blocks(blocks)
    if problems:
        raise BlockKitLimitError("; ".join(problems))
    return blocks


def checked_view(view: dict[str, Any]) -> dict[str, Any]:
    """`view` (modal or home) if Slack would accept it, else BlockKitLimitError."""
    problems = validate_view(view)
    if problems:
        raise BlockKitLimitError("; ".join(problems))
    return view
