"""Buttons on a cadence drift offer: make the charter the lived rhythm, keep it, review it."""

from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.results import Result
from bot.reflection.blocks.drift import ADOPT, KEEP, REVIEW
from bot.reflection.service import drift
from handlers.render import Asked, render
from handlers.safety import guarded

Click = Callable[[Tandem, str, str, str], Result]


def _listener(ctx: Tandem, click: Click) -> Callable[..., None]:
    def on_click(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        result = click(ctx, body["team"]["id"], body["user"]["id"], action.get("value") or "")
        render(Asked(ctx, body, ack, client, respond), result)

    return on_click


def register(app: App, ctx: Tandem) -> None:
    """Register the drift offer's buttons."""
    for action_id, click in ((ADOPT, drift.adopt), (KEEP, drift.keep), (REVIEW, drift.to_review)):
        app.action(action_id)(guarded(_listener(ctx, click)))
