"""Saving the preferences modal."""

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Result
from bot.delivery.blocks import CALLBACK
from bot.delivery.personal import notice_modal, submit_preferences
from handlers.render import Asked, listener


def save(asked: Asked, session: Session) -> Result:
    """Quiet hours, muted kinds and a snooze, saved (or field errors)."""
    values = (asked.body["view"].get("state") or {}).get("values") or {}
    return submit_preferences(asked.ctx, session, asked.team_id, asked.user_id, values)


def register(app: App, ctx: Tandem) -> None:
    """Register the preferences submission."""
    app.view(CALLBACK)(listener(ctx, save, notice=notice_modal))
