"""Pieces every reflection surface shares: names, quoted user text, inputs, what was submitted."""

from typing import Any

from bot.core.kit import clip, mrkdwn_escape
from bot.core.mentions import MENTION
from bot.core.modal_state import ModalState
from storage.models import Person


def name_of(person: Person | None) -> str:
    """How Tandem names a person in text (escaped for mrkdwn)."""
    if person is None:
        return "your partner"
    return mrkdwn_escape(person.real_name or person.display_name or "your partner")


def escape_keeping_mentions(text: str) -> str:
    """User text escaped for mrkdwn, except people it mentions, which stay mentions."""
    parts = MENTION.split(text)
    # split() with one group alternates: text, user id, text, user id, ...
    return "".join(
        f"<@{part}>" if index % 2 else mrkdwn_escape(part) for index, part in enumerate(parts)
    )


def quoted(text: str, limit: int = 2500, *, mentions: bool = False) -> str:
    """User text as a mrkdwn quote: clipped, escaped, every line quoted."""
    clipped = clip(text.strip(), limit)
    escaped = escape_keeping_mentions(clipped) if mentions else mrkdwn_escape(clipped)
    lines = escaped.splitlines() or [""]
    return "\n".join(f"> {line}" for line in lines)


def plain(text: str) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": text, "emoji": True}


def option(label: str, value: str, description: str | None = None) -> dict[str, Any]:
    """An option for selects and radio buttons (labels clipped to Slack's 75 characters)."""
    result: dict[str, Any] = {"text": plain(clip(label, 75)), "value": value}
    if description:
        result["description"] = plain(clip(description, 75))
    return result


def input_id(field: str) -> str:
    """The action_id of a reflection modal's input named `field` (its block_id is `field`)."""
    return f"reflection.{field}"


def field_value(state_values: object, field: str) -> str | None:
    """What was typed or picked in input `field` of a submitted view (None when empty, and
    when it arrived in a shape Slack never sends)."""
    state = ModalState(state_values)
    picked = state.option(field, input_id(field))
    if picked is not None:
        return picked
    value = state.text(field, input_id(field))
    return value if value.strip() else None


def _input_block(
    field: str, label: str, element: dict[str, Any], optional: bool, hint: str | None
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field,
        "label": plain(clip(label, 2000)),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(clip(hint, 2000))
    return block


def text_input(
    field: str,
    label: str,
    *,
    multiline: bool = True,
    max_length: int = 3000,
    optional: bool = False,
    initial: str | None = None,
    placeholder: str | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    """An input block with a plain text element."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": input_id(field),
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = clip(initial, max_length)
    if placeholder:
        element["placeholder"] = plain(clip(placeholder, 150))
    return _input_block(field, label, element, optional, hint)


def choice_input(
    field: str,
    label: str,
    options: list[dict[str, Any]],
    *,
    radio: bool = True,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    """An input block with radio buttons (or a static select) offering `options`."""
    element: dict[str, Any] = {
        "type": "radio_buttons" if radio else "static_select",
        "action_id": input_id(field),
        "options": options,
    }
    if not radio:
        element["placeholder"] = plain("Choose")
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return _input_block(field, label, element, optional, hint)
