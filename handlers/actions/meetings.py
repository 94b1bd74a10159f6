"""Buttons on meeting messages: Met, Rescheduled, Skipped, Notes, Snooze, calendar, settings."""

import logging
from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.modal_state import clicked_value
from bot.meetings.blocks.messages import ICS, MET, MOVE, NOTES, SETTINGS, SKIP, SNOOZE
from bot.meetings.service import clicks
from bot.meetings.service.clicks import Answer
from handlers.safety import guarded

log = logging.getLogger(__name__)

Click = Callable[[Tandem, str, str, str], Answer]


def _show(answer: Answer, body: dict, client: WebClient, respond: Respond) -> None:
    if answer.modal is not None:
        client.views_open(trigger_id=body["trigger_id"], view=answer.modal)
    container = body.get("container") or {}
    in_message = container.get("type") == "message" and not container.get("is_ephemeral")
    if answer.update is not None and in_message:
        client.chat_update(
            channel=container["channel_id"], ts=container["message_ts"], **answer.update
        )
    if answer.upload is not None:
        upload = answer.upload
        client.files_upload_v2(
            channel=upload.channel,
            content=upload.content,
            filename=upload.filename,
            title=upload.filename,
            initial_comment=upload.comment,
        )
    if answer.ephemeral is not None:
        respond(text=answer.ephemeral, response_type="ephemeral", replace_original=False)


def _who(body: dict) -> tuple[str, str]:
    user = body.get("user") or {}
    return (body.get("team") or {}).get("id") or user.get("team_id") or "", user.get("id", "")


def _listener(ctx: Tandem, click: Click) -> Callable[..., None]:
    def on_click(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        answer = click(ctx, *_who(body), clicked_value(body))
        _show(answer, body, client, respond)
        ctx.on_outbox_changed()

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
        app.action(action_id)(guarded(_listener(ctx, click)))

    def calendar(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        channel = (body.get("channel") or {}).get("id") or ""
        answer = clicks.calendar_file(ctx, *_who(body), clicked_value(body), channel)
        _show(answer, body, client, respond)

    app.action(ICS)(guarded(calendar))
