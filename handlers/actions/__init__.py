"""Actions listeners, one module per area of the product."""

from slack_bolt import App

from bot.core.context import Tandem
from handlers.actions import (
    admin,
    drift,
    goals,
    home,
    meetings,
    pairing,
    preferences,
    programme,
    reflection,
)


def register(app: App, ctx: Tandem) -> None:
    """Register every action listener."""
    admin.register(app, ctx)
    reflection.register(app, ctx)
    drift.register(app, ctx)
    pairing.register(app, ctx)
    goals.register(app, ctx)
    meetings.register(app, ctx)
    programme.register(app, ctx)
    preferences.register(app, ctx)
    home.register(app, ctx)
