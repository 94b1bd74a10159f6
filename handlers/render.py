"""The one renderer: a use case's Result becomes Slack's answer to the request that asked.

A slash command is answered privately (in its ack when possible) or with a modal; a click
opens, pushes or redraws a modal, replaces the clicked message or the private list it sits in,
shares a file, republishes Home or says something privately; a modal submission is closed,
replaced, or given field errors. Queued messages go out at once.

Every `ack`, `respond` and `views.*` call of the listeners is made here, so a listener only
reads the request, runs one use case in one transaction (`listener`), and hands the result
over. Modals are opened, pushed and updated tolerating Slack's ordinary "no" (a closed
modal, an expired trigger): that is the person's screen moving on, not a fault.
"""

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_bolt.kwargs_injection import Args
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.kit import notice_modal
from bot.core.results import FieldErrors, MessageEdit, Refused, Reply, Result, Upload
from bot.surfaces.home_tab import home_view

log = logging.getLogger(__name__)

NO_FORM = "Slack didn't let me open the form in time. Please run the command again."
SORRY_SAVE = "Sorry, something went wrong on my side and nothing was saved. Please try again."
SORRY_CLICK = "Sorry, something went wrong on my side. Please try again."
STRANGER = (
    "Sorry, Tandem here belongs to another workspace's mentoring programme, so I can't do "
    "this for you. Ask your own workspace's admins about Tandem."
)

# What Slack answers when the person's screen moved on; anything else is our fault and raises.
ORDINARY = frozenset(
    {
        "expired_trigger_id",
        "invalid_trigger_id",
        "exchanged_trigger_id",
        "hash_conflict",
        "not_found",
        "view_not_found",
        "push_limit_reached",
    }
)

Notice = Callable[[str], dict[str, Any]]


def asker(context: BoltContext) -> tuple[str, str]:
    """(workspace, user) of a request: the installation that received it (Bolt's context,
    whose client carries that installation's token) and whoever sent it. The payload's team
    fields are never the workspace: they disagree under Slack Connect and in shared channels."""
    return context.team_id or "", context.user_id or ""


def is_stranger(body: dict[str, Any], context: BoltContext) -> bool:
    """Whether whoever asked belongs to another workspace than the one that received the
    request (a Slack Connect modal, a member of another organisation in a shared channel)."""
    user = body.get("user")
    own = user.get("team_id") if isinstance(user, dict) else None
    if not own:
        team = body.get("team")
        own = team.get("id") if isinstance(team, dict) else None
    return bool(own) and own not in (context.team_id, context.enterprise_id)


@dataclass
class Asked:
    """The Slack request a result answers: a slash command, a click or a modal submission."""

    ctx: Tandem
    body: dict[str, Any]
    ack: Ack
    context: BoltContext  # the receiving installation: its workspace and its client
    respond: Respond | None = None
    acked: bool = False  # an ack can carry the answer only while it is unsent
    by_dm: bool = False  # words for a click off a message go to their DM with the app, not a modal

    @property
    def kind(self) -> str:
        """ "command", "view_submission" or "block_actions"."""
        return "command" if "command" in self.body else self.body.get("type", "")

    @property
    def client(self) -> WebClient:
        """The Web API client of the installation that received the request."""
        return self.context.client

    @property
    def team_id(self) -> str:
        """The workspace that received the request."""
        return asker(self.context)[0]

    @property
    def user_id(self) -> str:
        """Whoever asked."""
        return asker(self.context)[1]

    @property
    def stranger(self) -> bool:
        """Whether whoever asked is a member of another workspace (see `is_stranger`)."""
        return is_stranger(self.body, self.context)


UseCase = Callable[[Asked, Session], Result]


def listener(
    ctx: Tandem, use: UseCase, *, by_dm: bool = False, notice: Notice = notice_modal
) -> Callable[..., None]:
    """The guarded Bolt listener (for app.action or app.view) of one use case: a click is
    acknowledged at once, `use` runs in one transaction the listener owns, and its result is
    rendered once that transaction is committed."""

    def on_request(ack: Ack, body: dict, context: BoltContext, respond: Respond) -> None:
        asked = Asked(ctx, body, ack, context, respond, by_dm=by_dm)
        if asked.kind != "view_submission":
            acknowledge(asked)
        if asked.stranger:  # nothing read, nothing stored: they are no one here
            render(asked, Refused(STRANGER), notice)
            return
        with ctx.session() as session:
            result = use(asked, session)
        render(asked, result, notice)

    on_request.__name__ = use.__name__
    return guarded(on_request)


def acknowledge(asked: Asked) -> None:
    """Acknowledge now, without words (a click at once; a command before slow work)."""
    _ack(asked)


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
    clicked = _clicked_message(asked) if reply.update is not None else None
    for edit in reply.edits:
        if (edit.channel, edit.ts) != clicked:  # the click's own update already did it
            _edit(asked.client, edit)
    if reply.home:
        team_id, user_id = asker(asked.context)
        publish_home(asked.client, user_id, home_view(asked.ctx, asked.client, team_id, user_id))
    if reply.queued:
        asked.ctx.on_outbox_changed()


def publish_home(client: WebClient, user_id: str, view: dict[str, Any]) -> None:
    """Publish `user_id`'s App Home."""
    client.views_publish(user_id=user_id, view=view)


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
    if asked.acked:  # answered already (slow work follows its ack): the modal, or their DM
        _answer_later(asked, reply)
    elif isinstance(result, FieldErrors) and set(result.errors) <= _block_ids(asked.body["view"]):
        _ack(asked, response_action="errors", errors=result.errors)
    elif isinstance(result, FieldErrors):  # about something the modal no longer shows
        _ack(asked, response_action="update", view=notice(" ".join(result.errors.values())))
    elif reply.modal is not None:
        _ack(asked, response_action="update", view=reply.modal)
    elif isinstance(result, Refused):
        _ack(asked, response_action="update", view=notice(result.message))
    else:
        _ack(asked)


def _answer_later(asked: Asked, reply: Reply) -> None:
    """A submission's answer after its ack: update the modal; if it was closed, say it by DM."""
    view = asked.body.get("view") or {}
    try:
        shown = reply.modal is not None and _update_view(asked.client, view.get("id"), reply.modal)
    except SlackApiError as error:
        log.info("the modal is gone (%s)", error.response.get("error"))
        shown = False
    if not shown and reply.text is not None and asked.user_id:
        asked.client.chat_postMessage(channel=asked.user_id, text=reply.text, blocks=reply.blocks)


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
    if reply.push is not None:
        _push_view(client, body.get("trigger_id"), reply.push)
    if reply.refresh is not None:
        view = body.get("view") or {}
        view_id = view.get("id") or (body.get("container") or {}).get("view_id")
        _update_view(client, view_id, reply.refresh, view.get("hash"))
    if reply.page is not None and asked.respond is not None and body.get("response_url"):
        asked.respond(replace_original=True, **reply.page)
    container = body.get("container") or {}
    in_message = container.get("type") == "message" and not container.get("is_ephemeral")
    updated = reply.update is not None and in_message and _update_clicked(asked, reply)
    if reply.upload is not None and not _upload(asked, reply.upload, notice):
        return
    if reply.text is not None and not (reply.instead and updated):
        tell(asked, reply.text, notice, reply.blocks)


def _upload(asked: Asked, upload: Upload, notice: Notice) -> bool:
    """Share the file; False (having said why) when Slack refused one it may refuse."""
    try:
        asked.client.files_upload_v2(
            channel=upload.channel,
            content=upload.content,
            filename=upload.filename,
            title=upload.title or upload.filename,
            initial_comment=upload.comment,
        )
    except SlackApiError as error:
        if upload.if_refused is None:
            raise
        tell(asked, upload.if_refused.format(error=error.response.get("error")), notice)
        return False
    return True


def _clicked_message(asked: Asked) -> tuple[str, str] | None:
    """The (channel, ts) of the message a click came from, if it came from one."""
    container = asked.body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return (channel, ts) if isinstance(channel, str) and isinstance(ts, str) else None


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


def tell(
    asked: Asked,
    text: str,
    notice: Notice = notice_modal,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """Say something privately where a click happened: in the conversation, or (Home, modals:
    no response_url, and Bolt's respond() raises there) in a modal or, `by_dm`, in their DM.
    `blocks` (a list with its buttons) go with the words wherever a message carries them."""
    user_id = asked.user_id
    if asked.body.get("response_url") and asked.respond is not None:
        asked.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
    elif asked.by_dm and user_id:
        asked.client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    elif not asked.by_dm and asked.body.get("trigger_id"):
        open_modal(asked.client, asked.body["trigger_id"], notice(text))


def _tolerating(method: str, call: Callable[[], object]) -> bool:
    try:
        call()
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        if code not in ORDINARY:
            raise
        log.info("%s did not happen: Slack said %s", method, code)
        return False
    return True


def open_modal(client: WebClient, trigger_id: object, view: dict[str, Any]) -> bool:
    """views.open; False when the trigger could not be used (expired, spent, missing)."""
    if not isinstance(trigger_id, str) or not trigger_id:
        return False
    return _tolerating("views.open", lambda: client.views_open(trigger_id=trigger_id, view=view))


def _push_view(client: WebClient, trigger_id: object, view: dict[str, Any]) -> bool:
    """views.push onto the modal the click came from; False when Slack would not."""
    if not isinstance(trigger_id, str) or not trigger_id:
        return False
    return _tolerating("views.push", lambda: client.views_push(trigger_id=trigger_id, view=view))


def _update_view(
    client: WebClient, view_id: object, view: dict[str, Any], view_hash: object = None
) -> bool:
    """views.update of an open modal; False when it is gone or changed meanwhile."""
    if not isinstance(view_id, str) or not view_id:
        return False
    extra = {"hash": view_hash} if isinstance(view_hash, str) and view_hash else {}
    return _tolerating(
        "views.update", lambda: client.views_update(view_id=view_id, view=view, **extra)
    )


def guarded(listener: Callable[..., None]) -> Callable[..., None]:
    """`listener` (for app.action or app.view) with the safety net: a bug never leaves Slack
    waiting. The exception is logged, the request acknowledged if it was not yet, and the
    person told privately, without any detail of what broke. It keeps its arguments."""
    names = inspect.getfullargspec(listener).args

    def safe(args: Args) -> None:
        try:
            listener(**{name: getattr(args, name) for name in names})
        except Exception:
            log.exception("%s failed for %s", listener.__name__, asker(args.context)[1])
            apologise(args)

    safe.__name__ = listener.__name__
    return safe


def sorry_modal() -> dict[str, Any]:
    """What a modal turns into when its submission failed."""
    return notice_modal(SORRY_SAVE)


def apologise(args: Args) -> None:
    """Answer once, privately; the apology itself failing is only logged."""
    acked = args.ack.response is not None
    if args.body.get("type") == "view_submission":
        if not acked:
            args.ack(response_action="update", view=sorry_modal())
        return
    if not acked:
        args.ack()
    user_id = asker(args.context)[1]
    try:
        if args.body.get("response_url"):
            say_by_url(args.respond, SORRY_CLICK)
        elif user_id:  # a click in a modal or the Home tab
            args.client.chat_postMessage(channel=user_id, text=SORRY_CLICK)
    except Exception:
        log.exception("could not apologise to %s", user_id)


def say_by_url(respond: Respond, text: str) -> None:
    """Say `text` privately through the request's response_url."""
    respond(text=text, response_type="ephemeral", replace_original=False)
