"""The App Home tab."""

from typing import Any

from bot.commands import SUBCOMMANDS
from bot.context import Tandem
from bot.views.kit import checked_view, context, header, section


def home_view(ctx: Tandem, team_id: str, user_id: str) -> dict[str, Any]:
    """The Home tab for `user_id`."""
    lines = "\n".join(f"`{sub.usage}` — {sub.summary}" for sub in SUBCOMMANDS)
    blocks = [
        header("Welcome to Tandem"),
        section(
            "Tandem keeps your mentorship alive: a charter you both agree, goals, a rhythm "
            "of meetings, feedback both ways and wins worth celebrating."
        ),
        section(lines),
        context("Your pair's notes, private feedback and review answers are seen only by you two."),
    ]
    return checked_view({"type": "home", "blocks": blocks})
