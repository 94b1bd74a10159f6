"""`app_home_opened`: publish the person's Home tab."""

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.surfaces.home_tab import home_view, remember_home_opened
from handlers.render import publish_home

log = logging.getLogger(__name__)


def register(app: App, ctx: Tandem) -> None:
    """Register the App Home listener."""

    def home_opened(event: dict, body: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        team_id = body.get("team_id", "")
        view = home_view(ctx, client, team_id, user_id)
        with ctx.session() as session:  # before publishing: a change from now on republishes
            remember_home_opened(session, team_id, user_id, ctx.clock.now())
        publish_home(client, user_id, view)

    app.event("app_home_opened")(home_opened)
