"""Submissions of the admin modals: settings and delete-a-person's-data."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.admin import service
from bot.admin.blocks import ERASE_CALLBACK, SETTINGS_CALLBACK, settings_value
from bot.core.context import Tandem
from bot.core.modal_state import ModalState
from handlers.render import Asked, render
from handlers.safety import guarded

SETTINGS_BLOCKS = (
    "celebrations_channel",
    "review_interval_months",
    "quiet_hours_start",
    "quiet_hours_end",
    "default_cadence",
    "daily_dm_limit",
    "topics",
)


def _who(body: dict) -> tuple[str, str]:
    user = body.get("user") or {}
    return (body.get("team") or {}).get("id") or user.get("team_id") or "", user.get("id", "")


def register(app: App, ctx: Tandem) -> None:
    """Register the admin modals' submissions."""

    def save(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        state = ModalState.of_view(view)
        entered = {block: settings_value(state, block) for block in SETTINGS_BLOCKS}
        with ctx.session() as session:
            result = service.save_settings_form(
                ctx,
                session,
                client,
                team_id,
                user_id,
                entered,
                state.users("programme_admins", "value"),
            )
        render(Asked(ctx, body, ack, client), result)

    def erase(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        state = ModalState.of_view(view)
        target = settings_value(state, "person") or ""
        confirm = settings_value(state, "confirm") or ""
        with ctx.session() as session:
            result = service.erase_form(ctx, session, client, team_id, user_id, target, confirm)
        render(Asked(ctx, body, ack, client), result)

    app.view(SETTINGS_CALLBACK)(guarded(save))
    app.view(ERASE_CALLBACK)(guarded(erase))
