"""Goals' part of the App Home: the button to celebrate a win outside any goal."""

from typing import Any

from bot.core.kit import button
from bot.core.membership import Membership
from bot.goals.blocks.wins import CELEBRATE_ACTION


def start_buttons(membership: Membership) -> list[dict[str, Any]]:
    """Under an active pair: "Celebrate a win" (a small modal for that pair)."""
    return [button("Celebrate a win", CELEBRATE_ACTION, str(membership.pair.id))]
