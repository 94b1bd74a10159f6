"""Buttons in the admin menu (in `/tandem admin` and on the admin's Home), admins only: each
does what its `/tandem admin` subcommand does. Lists clicked from Home come by DM, where their
own buttons (pages, drops, send) work as in the private answer to the command."""

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.admin import service
from bot.core.context import Tandem
from bot.core.results import Result
from bot.programme.service import commands
from handlers.guard import admin_only
from handlers.render import Asked, listener


def open_import(asked: Asked, session: Session, admin: Any) -> Result:
    """Bring pairs in: the import modal."""
    return commands.open_import(session, asked.team_id)


def match(asked: Asked, session: Session, admin: Any) -> Result:
    """Run a matching round over the whole pool."""
    return commands.match(asked.ctx, session, admin, None)


def pairs(asked: Asked, session: Session, admin: Any) -> Result:
    """The pairs at risk, worst first."""
    return commands.at_risk(asked.ctx, session, asked.team_id, "")


def cohorts(asked: Asked, session: Session, admin: Any) -> Result:
    """The cohorts, their numbers and trends."""
    return commands.cohorts(asked.ctx, session, asked.team_id)


def feedback(asked: Asked, session: Session, admin: Any) -> Result:
    """Programme-only feedback as anonymised themes."""
    return commands.feedback(session, asked.team_id)


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
    for action_id, use in (
        ("admin.open_import", open_import),
        ("admin.match", match),
        ("admin.pairs", pairs),
        ("admin.cohorts", cohorts),
        ("admin.feedback", feedback),
        ("admin.open_settings", open_settings),
        ("admin.open_erase", open_erase),
        ("admin.export", export),
    ):
        app.action(action_id)(listener(ctx, admin_only(use), by_dm=True))
