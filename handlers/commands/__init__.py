"""Slash commands: `/tandem` and its subcommands."""

from slack_bolt import App

from bot.core.context import Tandem
from handlers.commands import tandem


def register(app: App, ctx: Tandem) -> None:
    """Register the slash command listeners."""
    tandem.register(app, ctx)
