"""Choosing a pair inside a modal, for people who are in more than one."""

from typing import Any

from bot.core.ids import parse_id
from bot.core.kit import clip
from bot.core.membership import Membership
from bot.core.modal_state import ModalState

PAIR_BLOCK_ID = "pair"
PAIR_ACTION_ID = "pair.pick"


def pair_label(membership: Membership) -> str:
    """How a pair is named to one of its members: "with Noah (you mentor)"."""
    partner = membership.partner.real_name or membership.partner.display_name or "your partner"
    role = "you mentor" if membership.role == "mentor" else "your mentor"
    return clip(f"with {partner} ({role})", 75)


def pair_picker_block(
    choices: list[Membership], initial_pair_id: int | None = None
) -> dict[str, Any]:
    """An input block to pick one of `choices` (at most 100, Slack's option limit)."""
    options = [
        {"text": {"type": "plain_text", "text": pair_label(m)}, "value": str(m.pair.id)}
        for m in choices[:100]
    ]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": PAIR_ACTION_ID,
        "placeholder": {"type": "plain_text", "text": "Choose a pair"},
        "options": options,
    }
    initial = next((o for o in options if o["value"] == str(initial_pair_id)), None)
    if initial is not None:
        element["initial_option"] = initial
    return {
        "type": "input",
        "block_id": PAIR_BLOCK_ID,
        "label": {"type": "plain_text", "text": "Which pair?"},
        "element": element,
    }


def picked_pair_id(state_values: object) -> int | None:
    """The pair chosen in a submitted view's `state.values`, if the picker was shown."""
    return parse_id(ModalState(state_values).option(PAIR_BLOCK_ID, PAIR_ACTION_ID))
