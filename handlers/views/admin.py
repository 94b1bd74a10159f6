"""Submissions of the admin modals: settings and delete-a-person's-data (admins only)."""

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.admin import service
from bot.admin.blocks import ERASE_CALLBACK, SETTINGS_CALLBACK, settings_value
from bot.core.context import Tandem
from bot.core.modal_state import ModalState
from bot.core.results import Result
from handlers.guard import admin_only
from handlers.render import Asked, listener

SETTINGS_BLOCKS = (
    "celebrations_channel",
    "review_interval_months",
    "quiet_hours_start",
    "quiet_hours_end",
    "default_cadence",
    "daily_dm_limit",
    "topics",
)


def save(asked: Asked, session: Session, admin: Any) -> Result:
    """The settings modal, checked and saved."""
    state = ModalState.of_view(asked.body["view"])
    entered = {block: settings_value(state, block) for block in SETTINGS_BLOCKS}
    admins = state.users("programme_admins", "value")
    return service.save_settings_form(asked.ctx, session, asked.team_id, entered, admins)


def erase(asked: Asked, session: Session, admin: Any) -> Result:
    """A person's data deleted, once DELETE was typed."""
    state = ModalState.of_view(asked.body["view"])
    target = settings_value(state, "person") or ""
    confirm = settings_value(state, "confirm") or ""
    return service.erase_form(asked.ctx, session, asked.team_id, target, confirm)


def register(app: App, ctx: Tandem) -> None:
    """Register the admin modals' submissions."""
    app.view(SETTINGS_CALLBACK)(listener(ctx, admin_only(save, field="review_interval_months")))
    app.view(ERASE_CALLBACK)(listener(ctx, admin_only(erase, field="person")))
