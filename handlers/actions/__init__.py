"""Actions listeners, one module per area of the product."""

from slack_bolt import App

from bot.context import Tandem
from handlers.actions import meetings


def register(app: App, ctx: Tandem) -> None:
    """Register every action listener."""
    meetings.register(app, ctx)
