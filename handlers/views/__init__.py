"""Views listeners, one module per area of the product."""

from slack_bolt import App

from bot.context import Tandem
from handlers.views import meetings


def register(app: App, ctx: Tandem) -> None:
    """Register every view listener."""
    meetings.register(app, ctx)
