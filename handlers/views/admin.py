"""Submissions of the admin modals: settings and delete-a-person's-data."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.admin import service
from bot.admin.blocks import ERASE_CALLBACK, SETTINGS_CALLBACK, settings_value
from bot.admin.workspace_settings import parse_settings, save_settings
from bot.core.context import Tandem
from bot.core.modal_state import ModalState
from bot.core.results import FieldErrors, Refused
from handlers.safety import guarded

SETTINGS_BLOCKS = (
    "celebrations_channel",
    "review_interval_months",
    "quiet_hours_start",
    "quiet_hours_end",
    "default_cadence",
    "daily_dm_limit",
)


def _who(body: dict) -> tuple[str, str]:
    user = body.get("user") or {}
    return (body.get("team") or {}).get("id") or user.get("team_id") or "", user.get("id", "")


def register(app: App, ctx: Tandem) -> None:
    """Register the admin modals' submissions."""

    def save(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        state = ModalState.of_view(view)
        parsed = parse_settings({b: settings_value(state, b) for b in SETTINGS_BLOCKS})
        if isinstance(parsed, FieldErrors):
            ack(response_action="errors", errors=parsed.errors)
            return
        with ctx.session() as session:
            refused = service.require_admin(
                session, client, ctx.settings, team_id, user_id, ctx.clock.now()
            )
            if refused is None:
                save_settings(session, team_id, parsed, ctx.clock.now())
        if isinstance(refused, Refused):
            ack(response_action="errors", errors={"review_interval_months": refused.message})
            return
        ack()

    def erase(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        state = ModalState.of_view(view)
        target = settings_value(state, "person") or ""
        confirm = settings_value(state, "confirm") or ""
        with ctx.session() as session:
            refused = service.require_admin(
                session, client, ctx.settings, team_id, user_id, ctx.clock.now()
            )
            result = refused or service.erase(session, team_id, target, confirm, ctx.clock.now())
        if isinstance(result, Refused):
            block = "confirm" if "DELETE" in result.message else "person"
            ack(response_action="errors", errors={block: result.message})
            return
        ack(
            response_action="update",
            view={
                "type": "modal",
                "title": {"type": "plain_text", "text": "Data deleted"},
                "close": {"type": "plain_text", "text": "Done"},
                "blocks": [
                    {"type": "section", "text": {"type": "mrkdwn", "text": result.summary()}}
                ],
            },
        )

    app.view(SETTINGS_CALLBACK)(guarded(save))
    app.view(ERASE_CALLBACK)(guarded(erase))
