"""Every Bolt listener, wired by kind of Slack input. Thin: parse, authorise, call bot/."""

from slack_bolt import App

from bot.core.context import Tandem
from handlers import actions, commands, events, middleware, shortcuts, views


def register_listeners(app: App, ctx: Tandem) -> None:
    """Attach all of Tandem's middleware and listeners to `app`."""
    middleware.register(app, ctx)
    commands.register(app, ctx)
    actions.register(app, ctx)
    shortcuts.register(app, ctx)
    views.register(app, ctx)
    events.register(app, ctx)
