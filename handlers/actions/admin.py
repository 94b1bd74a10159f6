"""Buttons in the admin menu: settings, export, delete a person's data (admins only)."""

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.admin import service
from bot.core.context import Tandem
from bot.core.results import Result
from handlers.guard import admin_only
from handlers.render import Asked, listener


def open_settings(asked: Asked, session: Session, admin: Any) -> Result:
    """The settings modal."""
    return service.open_settings(session, asked.team_id)


def open_erase(asked: Asked, session: Session, admin: Any) -> Result:
    """The delete-a-person's-data modal."""
    return service.open_erase()


def export(asked: Asked, session: Session, admin: Any) -> Result:
    """The programme CSV in the admin's DM (and a word where they clicked, in a conversation)."""
    say_so = bool(asked.body.get("response_url"))
    ctx, client = asked.ctx, asked.client
    return service.export_to_admin(ctx, session, client, asked.team_id, asked.user_id, say_so)


def register(app: App, ctx: Tandem) -> None:
    """Register the admin menu's buttons (in `/tandem admin` and on the Home tab)."""
    app.action("admin.open_settings")(listener(ctx, admin_only(open_settings), by_dm=True))
    app.action("admin.open_erase")(listener(ctx, admin_only(open_erase), by_dm=True))
    app.action("admin.export")(listener(ctx, admin_only(export), by_dm=True))
