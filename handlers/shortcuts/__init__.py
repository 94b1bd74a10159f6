"""Shortcuts listeners: Slack's message and global shortcuts, one module per area."""

from slack_bolt import App

from bot.core.context import Tandem
from handlers.shortcuts import meetings, reflection


def register(app: App, ctx: Tandem) -> None:
    """Register every shortcut listener (their callback ids are in manifest.yml)."""
    reflection.register(app, ctx)
    meetings.register(app, ctx)
