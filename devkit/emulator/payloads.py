"""Pure helpers that turn "the user did X in this block" into Slack's payload fragments.

Slack's client sends different shapes per element type (``value``, ``selected_option``,
``selected_date``...) both in ``actions[]`` and in ``view.state.values``; it also refuses to
send what a user could not produce (an option that is not offered, an empty required
input). These helpers reproduce that so a test cannot drive the app into states real users
cannot reach.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

from bot.core.limits import iter_elements


class InteractionError(ValueError):
    """The requested interaction is impossible for a real user in Slack."""


class _Unset:
    pass


UNSET: Any = _Unset()

_TEXT_INPUTS = ("plain_text_input", "email_text_input", "url_text_input", "number_input")
_SINGLE_OPTION = ("static_select", "external_select", "radio_buttons", "overflow")
_MULTI_OPTION = ("multi_static_select", "multi_external_select", "checkboxes")
# element type -> (state key, initial_* key, is a list)
_PICKS = {
    "users_select": ("selected_user", "initial_user", False),
    "multi_users_select": ("selected_users", "initial_users", True),
    "conversations_select": ("selected_conversation", "initial_conversation", False),
    "multi_conversations_select": ("selected_conversations", "initial_conversations", True),
    "channels_select": ("selected_channel", "initial_channel", False),
    "multi_channels_select": ("selected_channels", "initial_channels", True),
}
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

ElementKey = str | tuple[str, str]


def describe_elements(blocks: Iterable[Any]) -> str:
    """``block_id/action_id (type)`` for every interactive element, for error messages."""
    found = [
        f"{b.get('block_id')}/{e.get('action_id')} ({e.get('type')})"
        for b, e in iter_elements(blocks)
    ]
    return ", ".join(found) or "none"


def find_element(
    blocks: list[dict],
    *,
    action_id: str | None = None,
    block_id: str | None = None,
    value: Any = UNSET,
) -> tuple[dict, dict]:
    """The one ``(block, element)`` matching the filters; ``value`` matches a button's value
    or an option offered by a select/radio/checkbox/overflow."""
    matches = [
        (block, element)
        for block, element in iter_elements(blocks)
        if element.get("type") != "image"
        and (action_id is None or element.get("action_id") == action_id)
        and (block_id is None or block.get("block_id") == block_id)
        and (value is UNSET or _offers(element, value))
    ]
    wanted = ", ".join(
        f"{name}={v!r}"
        for name, v in (("action_id", action_id), ("block_id", block_id), ("value", value))
        if v is not None and v is not UNSET
    )
    if not matches:
        raise InteractionError(
            f"no interactive element with {wanted or 'any id'}; the blocks contain: "
            f"{describe_elements(blocks)}"
        )
    if len(matches) > 1:
        raise InteractionError(
            f"{len(matches)} elements match {wanted or 'any id'}; pass block_id or value to pick "
            f"one of: {describe_elements(b for b, _ in matches)}"
        )
    return matches[0]


def _offers(element: dict, value: Any) -> bool:
    if element.get("type") == "button":
        return element.get("value") == value
    try:
        option_for(element, value)
    except InteractionError:
        return False
    return True


def _options(element: dict) -> list[dict]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    return options


def option_for(element: dict, value: Any) -> dict:
    """The option object Slack sends when the user picks ``value`` (must be offered)."""
    if element.get("type", "").endswith("external_select"):
        # Options come from the app at runtime, so any option is possible.
        if isinstance(value, Mapping):
            return dict(value)
        return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
    wanted = value.get("value") if isinstance(value, Mapping) else value
    for option in _options(element):
        if option.get("value") == wanted:
            return copy.deepcopy(option)
    offered = [o.get("value") for o in _options(element)]
    raise InteractionError(
        f"option {wanted!r} is not offered by {element.get('type')} "
        f"{element.get('action_id')!r}; offered: {offered}"
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    return list(value)


def _text_value(kind: str, element: dict, value: Any) -> str | None:
    """What the user typed, checked the way Slack's client checks it before sending."""
    if value is None or value == "":
        return None
    text = str(value)
    label = f"{kind} {element.get('action_id')!r}"
    if kind == "plain_text_input":
        if "max_length" in element and len(text) > element["max_length"]:
            raise InteractionError(f"{label} accepts at most {element['max_length']} characters")
        if "min_length" in element and len(text) < element["min_length"]:
            raise InteractionError(f"{label} needs at least {element['min_length']} characters")
    elif kind == "number_input":
        try:
            number = float(text)
        except ValueError:
            raise InteractionError(f"{label} only accepts numbers, not {text!r}") from None
        if not element.get("is_decimal_allowed") and not re.fullmatch(r"-?\d+", text):
            raise InteractionError(f"{label} does not allow decimals ({text!r})")
        if "min_value" in element and number < float(element["min_value"]):
            raise InteractionError(f"{label} is below min_value {element['min_value']}")
        if "max_value" in element and number > float(element["max_value"]):
            raise InteractionError(f"{label} is above max_value {element['max_value']}")
    elif kind == "email_text_input":
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
            raise InteractionError(f"{label} rejects {text!r}: not an email address")
    elif kind == "url_text_input" and not (urlparse(text).scheme and urlparse(text).netloc):
        raise InteractionError(f"{label} rejects {text!r}: not a URL")
    return text


def _date_value(element: dict, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InteractionError(
            f"datepicker {element.get('action_id')!r}: {value!r} is not YYYY-MM-DD"
        ) from None


def _time_value(element: dict, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if not _TIME_RE.match(str(value)):
        raise InteractionError(f"timepicker {element.get('action_id')!r}: {value!r} is not HH:MM")
    return str(value)


def _rich_text(text: str) -> dict[str, Any]:
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
    }


def element_state(element: dict, value: Any = UNSET) -> dict[str, Any]:
    """The ``{"type": ..., <value key>: ...}`` Slack reports for an element.

    With ``value`` unset the element's ``initial_*`` value is used (what the user sees
    pre-filled); otherwise ``value`` is what the user entered or picked.
    """
    kind = element.get("type", "")
    unset = value is UNSET
    if kind in _TEXT_INPUTS:
        typed = element.get("initial_value") if unset else _text_value(kind, element, value)
        if kind == "number_input" and typed is not None:
            typed = str(typed)
        return {"type": kind, "value": typed}
    if kind in _SINGLE_OPTION:
        if unset:
            option = copy.deepcopy(element.get("initial_option"))
        else:
            option = None if value is None else option_for(element, value)
        return {"type": kind, "selected_option": option}
    if kind in _MULTI_OPTION:
        if unset:
            chosen = copy.deepcopy(element.get("initial_options") or [])
        else:
            chosen = [option_for(element, v) for v in _as_list(value)]
        limit = element.get("max_selected_items") if kind != "checkboxes" else None
        if limit and len(chosen) > limit:
            raise InteractionError(
                f"{kind} {element.get('action_id')!r} allows at most {limit} selections"
            )
        return {"type": kind, "selected_options": chosen}
    if kind == "datepicker":
        picked = element.get("initial_date") if unset else _date_value(element, value)
        return {"type": kind, "selected_date": picked}
    if kind == "timepicker":
        state = {
            "type": kind,
            "selected_time": element.get("initial_time") if unset else _time_value(element, value),
        }
        if element.get("timezone"):
            state["timezone"] = element["timezone"]
        return state
    if kind == "datetimepicker":
        picked = element.get("initial_date_time") if unset else value
        if isinstance(picked, dt.datetime):
            picked = int(picked.timestamp())
        return {"type": kind, "selected_date_time": picked}
    if kind in _PICKS:
        key, initial, many = _PICKS[kind]
        if unset:
            picked = copy.deepcopy(element.get(initial, [] if many else None))
        else:
            picked = _as_list(value) if many else value
        return {"type": kind, key: picked}
    if kind == "rich_text_input":
        if unset:
            rich = copy.deepcopy(element.get("initial_value"))
        else:
            rich = _rich_text(str(value)) if isinstance(value, str) else value
        return {"type": kind, "rich_text_value": rich}
    if kind == "file_input":
        return {"type": kind, "files": [] if unset else list(value)}
    raise InteractionError(f"element type {kind!r} has no input state Slack would report")


def is_empty(state: dict[str, Any]) -> bool:
    values = [v for k, v in state.items() if k not in ("type", "timezone")]
    return all(v is None or v == "" or v == [] for v in values)


def action_payload(block: dict, element: dict, value: Any, action_ts: str) -> dict[str, Any]:
    """One entry of ``actions[]`` in a block_actions payload."""
    kind = element.get("type")
    action: dict[str, Any] = {
        "action_id": element.get("action_id"),
        "block_id": block.get("block_id"),
    }
    if kind == "button":
        if value is not UNSET and value is not None and value != element.get("value"):
            raise InteractionError(
                f"button {element.get('action_id')!r} carries value {element.get('value')!r}, "
                f"not {value!r}"
            )
        action["text"] = copy.deepcopy(element.get("text"))
        if "value" in element:
            action["value"] = element["value"]
        if "style" in element:
            action["style"] = element["style"]
        action["type"] = "button"
    elif kind == "workflow_button":
        action["text"] = copy.deepcopy(element.get("text"))
        action["type"] = kind
    else:
        if value is UNSET:
            raise InteractionError(f"{kind} {element.get('action_id')!r} needs a value to pick")
        state = element_state(element, value)
        action.update(state)
        if "placeholder" in element:
            action["placeholder"] = copy.deepcopy(element["placeholder"])
    action["action_ts"] = action_ts
    return action


def view_state(
    blocks: list[dict], values: Mapping[ElementKey, Any], *, check_required: bool
) -> dict[str, dict[str, dict[str, Any]]]:
    """``view.state.values`` after the user filled ``values`` in (keys: action_id or
    ``(block_id, action_id)``). Every input block appears, pre-filled ones with their
    initial value; other stateful elements appear only when given a value."""
    elements = [(b, e) for b, e in iter_elements(blocks) if e.get("type") != "button"]
    chosen: dict[tuple[str, str], Any] = {}
    for key, value in values.items():
        if isinstance(key, tuple):
            block_id, action_id = key
            found = [
                (b, e)
                for b, e in elements
                if b.get("block_id") == block_id and e.get("action_id") == action_id
            ]
        else:
            found = [(b, e) for b, e in elements if e.get("action_id") == key]
        if not found:
            raise InteractionError(
                f"the view has no input {key!r}; it contains: {describe_elements(blocks)}"
            )
        if len(found) > 1:
            raise InteractionError(
                f"action_id {key!r} appears in several blocks; use (block_id, action_id) keys"
            )
        block, element = found[0]
        chosen[(block["block_id"], element["action_id"])] = value

    state: dict[str, dict[str, dict[str, Any]]] = {}
    for block, element in elements:
        ids = (block["block_id"], element["action_id"])
        if ids in chosen:
            element_value = element_state(element, chosen[ids])
        elif block.get("type") == "input":
            element_value = element_state(element)
        else:
            continue
        required = block.get("type") == "input" and not block.get("optional")
        if check_required and required and is_empty(element_value):
            label = (block.get("label") or {}).get("text", "")
            raise InteractionError(
                f"required input {ids[0]}/{ids[1]} ({label!r}) is empty; Slack would "
                "show 'This field is required' instead of submitting"
            )
        state.setdefault(ids[0], {})[ids[1]] = element_value
    return state
