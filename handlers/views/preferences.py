"""Saving the preferences modal."""

from slack_bolt import Ack, App

from bot.core.context import Tandem
from bot.core.kit import checked_view, section
from bot.core.people import find_person, person_zone
from bot.core.results import FieldErrors
from bot.delivery.blocks import CALLBACK
from bot.delivery.personal import save_preferences
from handlers.safety import guarded


def _notice(text: str) -> dict:
    return checked_view(
        {
            "type": "modal",
            "title": {"type": "plain_text", "text": "My preferences"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": [section(text)],
        }
    )


def register(app: App, ctx: Tandem) -> None:
    """Register the preferences submission."""

    def save(ack: Ack, body: dict) -> None:
        team_id = (body.get("team") or {}).get("id", "")
        user_id = (body.get("user") or {}).get("id", "")
        values = (body["view"].get("state") or {}).get("values") or {}
        now = ctx.clock.now()
        with ctx.session() as session:
            person = find_person(session, team_id, user_id)
            if person is None:
                ack(response_action="update", view=_notice("Open `/tandem preferences` again."))
                return
            said = save_preferences(session, person, values, now, person_zone(person, ctx.settings))
        if isinstance(said, FieldErrors):
            ack(response_action="errors", errors=said.errors)
            return
        ack(response_action="update", view=_notice(said))
        ctx.on_outbox_changed()

    app.view(CALLBACK)(guarded(save))
