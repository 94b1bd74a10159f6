"""Reading what a submitted modal (or a click inside one) carries, whatever its shape.

`view.state.values` arrives as `{block_id: {action_id: {"type": ..., "value": ...}}}`, but a
request is only as well-formed as whoever crafted it: a number or an object where Slack sends
a string, `selected_option` as a string, a block that is a list. Every form reader reads
through `ModalState`, which treats a value of the wrong shape as missing, so the form answers
with its usual field error ("please choose one") and never with an exception.

Text also loses what no database column can hold: NUL characters (PostgreSQL refuses them)
and lone UTF-16 surrogates (not encodable as UTF-8), which JSON can carry but no keyboard types.
"""

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(value: object) -> str | None:
    """`value` as storable text, or None when it is not text at all."""
    if not isinstance(value, str):
        return None
    return _UNSTORABLE.sub("", value)


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class ModalState:
    """The inputs of one submitted view, read by block and action id, each typed."""

    def __init__(self, values: object) -> None:
        """`values` is `view.state.values` as it arrived (or a ModalState already)."""
        self._values = values._values if isinstance(values, ModalState) else _mapping(values)

    def __contains__(self, block_id: object) -> bool:
        return isinstance(self._values.get(block_id), dict)  # type: ignore[arg-type]

    @classmethod
    def of_view(cls, view: object) -> "ModalState":
        """The state of `view` (a `view` object from a payload; anything else is empty)."""
        return cls(_mapping(_mapping(view).get("state")).get("values"))

    def _element(self, block_id: str, action_id: str | None) -> dict[str, Any] | None:
        block = self._values.get(block_id)
        if not isinstance(block, dict):
            return None
        element = block.get(block_id if action_id is None else action_id)
        return element if isinstance(element, dict) else None

    def shown(self, block_id: str, action_id: str | None = None) -> bool:
        """Whether the view had this input at all (in the shape Slack sends)."""
        return self._element(block_id, action_id) is not None

    def _string(self, block_id: str, action_id: str | None, key: str) -> str | None:
        element = self._element(block_id, action_id) or {}
        return clean_text(element.get(key))

    def text(self, block_id: str, action_id: str | None = None) -> str:
        """What was typed into a text (or number, email, url) input, "" when nothing was.

        `action_id` defaults to `block_id` (the convention of most of Tandem's modals).
        """
        return self._string(block_id, action_id, "value") or ""

    def option(self, block_id: str, action_id: str | None = None) -> str | None:
        """The value of the option picked in a select or radio buttons (None when none)."""
        element = self._element(block_id, action_id) or {}
        picked = element.get("selected_option")
        return clean_text(_mapping(picked).get("value")) or None

    def options(self, block_id: str, action_id: str | None = None) -> list[str] | None:
        """The values ticked in checkboxes or a multi-select; None when the input was not
        shown (or its answer has no sensible shape), so callers can leave things as they are."""
        element = self._element(block_id, action_id)
        picked = (element or {}).get("selected_options")
        if not isinstance(picked, list):
            return [] if element is not None and picked is None else None
        values = (clean_text(_mapping(option).get("value")) for option in picked)
        return [value for value in values if value]

    def date(self, block_id: str, action_id: str | None = None) -> str | None:
        """The raw `YYYY-MM-DD` of a date picker (None when empty); the caller parses it."""
        return self._string(block_id, action_id, "selected_date") or None

    def time(self, block_id: str, action_id: str | None = None) -> str | None:
        """The raw `HH:MM` of a time picker (None when empty); the caller parses it."""
        return self._string(block_id, action_id, "selected_time") or None

    def user(self, block_id: str, action_id: str | None = None) -> str | None:
        """The user id picked in a users select."""
        return self._string(block_id, action_id, "selected_user") or None

    def users(self, block_id: str, action_id: str | None = None) -> list[str]:
        """The user ids picked in a multi-users select ([] when none, or not a list)."""
        element = self._element(block_id, action_id) or {}
        picked = element.get("selected_users")
        if not isinstance(picked, list):
            return []
        return [user for user in (clean_text(value) for value in picked) if user]

    def conversation(self, block_id: str, action_id: str | None = None) -> str | None:
        """The channel id picked in a conversations (or channels) select."""
        element = self._element(block_id, action_id) or {}
        for key in ("selected_conversation", "selected_channel"):
            if picked := clean_text(element.get(key)):
                return picked
        return None


def clicked(body: object) -> dict[str, Any]:
    """The element a block_actions payload is about (its first action), {} when malformed."""
    actions = _mapping(body).get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return _mapping(first)


def clicked_value(body: object) -> str:
    """The clicked button's value ("" when there is none or it is not text)."""
    return clean_text(clicked(body).get("value")) or ""


def clicked_option(body: object) -> str | None:
    """The value of the option picked in a select that was changed."""
    return clean_text(_mapping(clicked(body).get("selected_option")).get("value")) or None
