"""Events API listeners."""

from slack_bolt import App

from bot.core.context import Tandem
from handlers.events import app_home, installation, messages, people


def register(app: App, ctx: Tandem) -> None:
    """Register every event listener."""
    app_home.register(app, ctx)
    installation.register(app, ctx)
    messages.register(app, ctx)
    people.register(app, ctx)
