"""The "My preferences" button (on Home): open the preferences modal."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.people import ensure_person, person_zone
from bot.core.results import Refused
from bot.delivery.blocks import OPEN_ACTION
from bot.delivery.personal import preferences_modal
from handlers.safety import guarded


def register(app: App, ctx: Tandem) -> None:
    """Register the preferences button."""

    def open_preferences(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        team_id = (body.get("team") or {}).get("id", "")
        user_id = (body.get("user") or {}).get("id", "")
        now = ctx.clock.now()
        with ctx.session() as session:
            person = ensure_person(session, ctx.client(team_id), team_id, user_id, now)
            if isinstance(person, Refused):
                return
            view = preferences_modal(session, person, now, person_zone(person, ctx.settings))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    app.action(OPEN_ACTION)(guarded(open_preferences))
