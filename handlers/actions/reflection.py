"""Buttons and selects of reflection: feedback, giving back, reviews, stages, ending."""

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.modal_state import clicked_option, clicked_value
from bot.core.results import Refused, Reply, Result
from bot.reflection.blocks.contributions import SHARE_OPEN_ACTION
from bot.reflection.blocks.ending import (
    CHAPTER_ACTION,
    HOW_ACTION,
    NOTE_ACTION,
    chapter_started_text,
)
from bot.reflection.blocks.feedback import (
    ASK_ACTION,
    OPEN_ACTION,
    REPLY_ACTION,
    THANKS_ACTION,
)
from bot.reflection.blocks.review import REVIEW_OPEN_ACTION
from bot.reflection.blocks.stage import STAGE_ACTION, parse_stage_value
from bot.reflection.service import opening
from bot.reflection.service.chapter import start_new_chapter
from bot.reflection.service.feedback import ask_for_feedback, thank_for_feedback
from bot.reflection.service.stages import change_stage
from handlers.render import Asked, render
from handlers.safety import guarded


def _who(body: dict[str, Any]) -> tuple[str, str]:
    return (body.get("team") or {}).get("id", ""), (body.get("user") or {}).get("id", "")


def _message_where(body: dict[str, Any]) -> dict[str, str]:
    container = body.get("container") or {}
    if container.get("type") != "message" or container.get("is_ephemeral"):
        return {}
    return {"channel": container.get("channel_id", ""), "ts": container.get("message_ts", "")}


def register(app: App, ctx: Tandem) -> None:
    """Register reflection's action listeners."""

    def show(ack: Ack, body: dict, client: WebClient, respond: Respond, result: Result) -> None:
        render(Asked(ctx, body, ack, client, respond), result)

    def open_feedback(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        pair_id, _, kind = clicked_value(body).partition(":")
        with ctx.session() as session:
            result = opening.feedback_form_for(
                session, *_who(body), parse_id(pair_id), kind or None
            )
        show(ack, body, client, respond, result)

    def thank(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        with ctx.session() as session:
            result = thank_for_feedback(
                session, *_who(body), parse_id(clicked_value(body)), ctx.clock.now()
            )
        show(ack, body, client, respond, result)

    def open_reply(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        with ctx.session() as session:
            result = opening.reply_form(
                session, *_who(body), parse_id(clicked_value(body)), _message_where(body)
            )
        show(ack, body, client, respond, result)

    def ask(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        with ctx.session() as session:
            result = ask_for_feedback(
                session, *_who(body), parse_id(clicked_value(body)), ctx.clock.now()
            )
        show(ack, body, client, respond, result)

    def open_share(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        with ctx.session() as session:
            result = opening.share_form_for(session, *_who(body), parse_id(clicked_value(body)))
        show(ack, body, client, respond, result)

    def open_review(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        with ctx.session() as session:
            result = opening.review_form_for(
                session, *_who(body), parse_id(clicked_value(body)), ctx.clock.now()
            )
        show(ack, body, client, respond, result)

    def pick_stage(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        picked = parse_stage_value(clicked_option(body))
        if picked is None:
            return
        with ctx.session() as session:
            result = change_stage(session, *_who(body), picked[0], picked[1], ctx.clock.now())
        if isinstance(result, Reply) and not body.get("response_url"):
            result = replace(result, text=None)  # on Home and in a modal the select shows it
        show(ack, body, client, respond, result)

    def open_closing_note(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        with ctx.session() as session:
            result = opening.closing_note_form(session, *_who(body), parse_id(clicked_value(body)))
        show(ack, body, client, respond, result)

    app.action(OPEN_ACTION)(guarded(open_feedback))
    app.action(THANKS_ACTION)(guarded(thank))
    app.action(REPLY_ACTION)(guarded(open_reply))
    app.action(ASK_ACTION)(guarded(ask))
    app.action(SHARE_OPEN_ACTION)(guarded(open_share))
    app.action(REVIEW_OPEN_ACTION)(guarded(open_review))
    app.action(STAGE_ACTION)(guarded(pick_stage))
    app.action(NOTE_ACTION)(guarded(open_closing_note))

    def pick_how(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        """Graduate or Close chosen in the end modal: show the private reason only for Close."""
        ack()
        view = body.get("view") or {}
        how = (action.get("selected_option") or {}).get("value")
        with ctx.session() as session:
            updated = opening.end_form_for(session, *_who(body), view, how)
        if updated is not None:
            client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)

    def new_chapter(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            result = start_new_chapter(
                session,
                ctx.client(team_id),
                ctx.settings,
                team_id,
                user_id,
                parse_id(action.get("value")),
                ctx.clock.now(),
            )
        text = result.message if isinstance(result, Refused) else chapter_started_text(result)
        if not isinstance(result, Refused):
            ctx.on_outbox_changed()
        container = body.get("container") or {}
        if container.get("type") == "view":
            client.views_update(
                view_id=container["view_id"], view=notice_modal(text, "A new chapter")
            )
        else:
            show(ack, body, client, respond, Reply(text=text))

    app.action(HOW_ACTION)(guarded(pick_how))
    app.action(CHAPTER_ACTION)(guarded(new_chapter))
