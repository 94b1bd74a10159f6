"""Buttons on a cadence drift offer: make the charter the lived rhythm, keep it, review it."""

from slack_bolt import App

from bot.core.context import Tandem
from bot.reflection.blocks.drift import ADOPT, KEEP, REVIEW
from bot.reflection.service import drift
from handlers.actions.meetings import on_click
from handlers.render import listener


def register(app: App, ctx: Tandem) -> None:
    """Register the drift offer's buttons."""
    for action_id, click in ((ADOPT, drift.adopt), (KEEP, drift.keep), (REVIEW, drift.to_review)):
        app.action(action_id)(listener(ctx, on_click(click)))
