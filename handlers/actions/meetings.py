"""Buttons on meeting messages: Met, Rescheduled, Skipped, Notes, Snooze, calendar, settings."""

import re
from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.results import Result
from bot.delivery.blocks import SNOOZE_ACTION_PREFIX
from bot.meetings.blocks.messages import ICS, MET, MOVE, NOTES, SETTINGS, SKIP, SNOOZE
from bot.meetings.service import clicks
from bot.meetings.service.notes_browse import PAGE_ACTION, turn_page
from handlers.render import Asked, render
from handlers.safety import guarded

Click = Callable[[Tandem, str, str, str], Result]


def click_listener(ctx: Tandem, click: Click) -> Callable[..., None]:
    """The listener of a button whose use case takes (team, user, the button's value)."""

    def on_click(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        result = click(ctx, body["team"]["id"], body["user"]["id"], action.get("value") or "")
        render(Asked(ctx, body, ack, client, respond), result)

    return on_click


def register(app: App, ctx: Tandem) -> None:
    """Register the meeting buttons."""
    for action_id, click in (
        (MET, clicks.met),
        (MOVE, clicks.move),
        (SKIP, clicks.skip),
        (NOTES, clicks.notes),
        (SNOOZE, clicks.snoozed),
        (SETTINGS, clicks.settings),
    ):
        app.action(action_id)(guarded(click_listener(ctx, click)))

    def calendar(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        channel = (body.get("channel") or {}).get("id") or ""
        result = clicks.calendar_file(
            ctx, body["team"]["id"], body["user"]["id"], action.get("value") or "", channel
        )
        render(Asked(ctx, body, ack, client, respond), result)

    app.action(ICS)(guarded(calendar))

    def notes_page(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        page = turn_page(ctx, body["team"]["id"], body["user"]["id"], action.get("value") or "")
        respond(
            text=page["text"],
            blocks=page.get("blocks"),
            response_type="ephemeral",
            replace_original=True,
        )

    app.action(PAGE_ACTION)(guarded(notes_page))

    def snooze_nudge(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        ack()
        choice = str(action.get("action_id", "")).removeprefix(SNOOZE_ACTION_PREFIX)
        result = clicks.snoozed_until(
            ctx, body["team"]["id"], body["user"]["id"], choice, action.get("value") or ""
        )
        render(Asked(ctx, body, ack, client, respond), result)

    app.action(re.compile(r"^nudge\.snooze\.[a-z_]+$"))(guarded(snooze_nudge))
