"""Pieces of the goal modals: inputs addressed by one id, and options."""

from typing import Any

from bot.core.kit import clip

OPTION_TEXT_LIMIT = 75


def plain(text: str) -> dict[str, Any]:
    """A plain_text object (emoji allowed)."""
    return {"type": "plain_text", "text": text, "emoji": True}


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
    dispatch: bool = False,
) -> dict[str, Any]:
    """An input block whose element's action_id is its block_id (unique in the view, so
    state values and field errors are addressed by one id)."""
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    if dispatch:
        block["dispatch_action"] = True
    return block


def text_input(max_length: int, placeholder: str = "", multiline: bool = False) -> dict[str, Any]:
    """A text input that Slack stops at `max_length` (the server checks again on submit)."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": max_length,
        "multiline": multiline,
    }
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return element


def option(text: str, value: str) -> dict[str, Any]:
    """A select option, its text clipped to Slack's 75 characters."""
    return {"text": plain(clip(text, OPTION_TEXT_LIMIT)), "value": value}
