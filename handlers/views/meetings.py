"""Meeting modal submissions: notes, `/tandem log`, moving a meeting, reminder settings."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.results import Result
from bot.meetings.blocks.modals import LOG_VIEW, MOVE_VIEW, NOTES_VIEW, SETTINGS_VIEW
from bot.meetings.service import submissions
from handlers.render import Asked, render
from handlers.safety import guarded

Submit = Callable[[Tandem, str, str, dict[str, Any]], Result]


def _listener(ctx: Tandem, submit: Submit) -> Callable[..., None]:
    def on_submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        user = body.get("user") or {}
        team_id = (body.get("team") or {}).get("id") or user.get("team_id") or ""
        result = submit(ctx, team_id, user.get("id", ""), view)
        render(Asked(ctx, body, ack, client), result)

    return on_submit


def register(app: App, ctx: Tandem) -> None:
    """Register the meeting modals' submissions."""
    app.view(NOTES_VIEW)(guarded(_listener(ctx, submissions.submit_notes)))
    app.view(LOG_VIEW)(guarded(_listener(ctx, submissions.submit_log)))
    app.view(MOVE_VIEW)(guarded(_listener(ctx, submissions.submit_move)))
    app.view(SETTINGS_VIEW)(guarded(_listener(ctx, submissions.submit_settings)))
