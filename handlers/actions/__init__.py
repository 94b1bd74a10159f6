"""Actions listeners, one module per area of the product."""

from slack_bolt import App

from bot.context import Tandem
from handlers.actions import goals


def register(app: App, ctx: Tandem) -> None:
    """Register every action listener."""
    goals.register(app, ctx)
