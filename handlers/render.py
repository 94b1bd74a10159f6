"""The one renderer: a use case's Result becomes Slack's answer to the request that asked.

A slash command is answered privately (in its ack when possible) or with a modal; a click
opens a modal, replaces the clicked message, shares a file or says something privately; a
modal submission is closed, replaced, or given field errors. Queued messages go out at once.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.context import Tandem
from bot.core.kit import notice_modal
from bot.core.results import FieldErrors, MessageEdit, Refused, Reply, Result
from handlers.modals import open_modal

log = logging.getLogger(__name__)

NO_FORM = "Slack didn't let me open the form in time. Please run the command again."

Notice = Callable[[str], dict[str, Any]]


@dataclass
class Asked:
    """The Slack request a result answers: a slash command, a click or a modal submission."""

    ctx: Tandem
    body: dict[str, Any]
    ack: Ack
    client: WebClient
    respond: Respond | None = None
    acked: bool = False  # a command's ack can carry the answer only while it is unsent
    by_dm: bool = False  # words for a click off a message go to their DM with the app, not a modal

    @property
    def kind(self) -> str:
        """ "command", "view_submission" or "block_actions"."""
        return "command" if "command" in self.body else self.body.get("type", "")


def render(asked: Asked, result: Result, notice: Notice = notice_modal) -> None:
    """Answer `asked` with `result` (`notice` draws words in a modal where a modal is due)."""
    reply = _as_reply(result)
    if asked.kind == "view_submission":
        _answer_submission(asked, result, reply, notice)
    elif asked.kind == "command":
        _answer_command(asked, reply)
    else:
        _answer_click(asked, reply, notice)
    if reply.edit is not None:
        _edit(asked.client, reply.edit)
    if reply.queued:
        asked.ctx.on_outbox_changed()


def _as_reply(result: Result) -> Reply:
    if isinstance(result, Refused):
        return Reply(text=result.message)
    if isinstance(result, FieldErrors):
        return Reply()
    return result


def _edit(client: WebClient, edit: MessageEdit) -> None:
    """Update an earlier message; one deleted meanwhile is no loss."""
    try:
        client.chat_update(channel=edit.channel, ts=edit.ts, text=edit.text, blocks=edit.blocks)
    except SlackApiError as error:
        log.info("could not refresh %s/%s: %s", edit.channel, edit.ts, error.response.get("error"))


def _block_ids(view: dict[str, Any]) -> set[str]:
    return {block.get("block_id", "") for block in view.get("blocks") or []}


def _answer_submission(asked: Asked, result: Result, reply: Reply, notice: Notice) -> None:
    if isinstance(result, FieldErrors) and set(result.errors) <= _block_ids(asked.body["view"]):
        asked.ack(response_action="errors", errors=result.errors)
    elif isinstance(result, FieldErrors):  # about something the modal no longer shows
        asked.ack(response_action="update", view=notice(" ".join(result.errors.values())))
    elif reply.modal is not None:
        asked.ack(response_action="update", view=reply.modal)
    elif isinstance(result, Refused):
        asked.ack(response_action="update", view=notice(result.message))
    else:
        asked.ack()


def _answer_command(asked: Asked, reply: Reply) -> None:
    if reply.modal is not None:
        _ack(asked)  # the trigger lives 3 s: acknowledge, then open at once
        try:
            asked.client.views_open(trigger_id=asked.body.get("trigger_id", ""), view=reply.modal)
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))
            _say(asked, NO_FORM, None)
    if reply.text is not None:
        _say(asked, reply.text, reply.blocks)
    _ack(asked)


def _ack(asked: Asked, **answer: Any) -> None:
    if not asked.acked:
        asked.acked = True
        asked.ack(**answer)


def _say(asked: Asked, text: str, blocks: list[dict[str, Any]] | None) -> None:
    """A private answer to a command: in the ack when possible, else via response_url."""
    if not asked.acked:
        _ack(asked, text=text, blocks=blocks, response_type="ephemeral")
    elif asked.respond is not None:
        asked.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


def _answer_click(asked: Asked, reply: Reply, notice: Notice) -> None:
    body, client = asked.body, asked.client
    if reply.modal is not None:
        open_modal(client, body.get("trigger_id"), reply.modal)
    container = body.get("container") or {}
    in_message = container.get("type") == "message" and not container.get("is_ephemeral")
    updated = reply.update is not None and in_message and _update_clicked(asked, reply)
    if reply.upload is not None:
        upload = reply.upload
        client.files_upload_v2(
            channel=upload.channel,
            content=upload.content,
            filename=upload.filename,
            title=upload.filename,
            initial_comment=upload.comment,
        )
    if reply.text is not None and not (reply.instead and updated):
        tell(asked, reply.text, notice)


def _update_clicked(asked: Asked, reply: Reply) -> bool:
    """Replace the clicked message; where `text` can stand instead, a refused update is no loss."""
    container = asked.body["container"]
    if reply.replace_original and asked.respond is not None and asked.body.get("response_url"):
        asked.respond(replace_original=True, **(reply.update or {}))
        return True
    try:
        asked.client.chat_update(
            channel=container["channel_id"], ts=container["message_ts"], **(reply.update or {})
        )
    except SlackApiError as error:
        if not reply.instead:
            raise
        log.warning("chat.update of a clicked message failed: %s", error.response.get("error"))
        return False
    return True


def tell(asked: Asked, text: str, notice: Notice = notice_modal) -> None:
    """Say something privately where a click happened: in the conversation, or (Home, modals:
    no response_url, and Bolt's respond() raises there) in a modal or, `by_dm`, in their DM."""
    user_id = (asked.body.get("user") or {}).get("id")
    if asked.body.get("response_url") and asked.respond is not None:
        asked.respond(text=text, response_type="ephemeral", replace_original=False)
    elif asked.by_dm and user_id:
        asked.client.chat_postMessage(channel=user_id, text=text)
    elif not asked.by_dm and asked.body.get("trigger_id"):
        open_modal(asked.client, asked.body["trigger_id"], notice(text))
