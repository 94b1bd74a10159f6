"""Buttons and selects of reflection: feedback, giving back, reviews, stages, ending."""

from dataclasses import replace
from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.modal_state import clicked_option, clicked_value
from bot.core.results import Reply, Result
from bot.reflection.blocks.contributions import SHARE_OPEN_ACTION
from bot.reflection.blocks.ending import CHAPTER_ACTION, HOW_ACTION, NOTE_ACTION
from bot.reflection.blocks.feedback import (
    ASK_ACTION,
    OPEN_ACTION,
    REPLY_ACTION,
    THANKS_ACTION,
)
from bot.reflection.blocks.review import REVIEW_OPEN_ACTION
from bot.reflection.blocks.stage import STAGE_ACTION, parse_stage_value
from bot.reflection.blocks.stories import SHARE_AS_ACTION
from bot.reflection.service import opening
from bot.reflection.service.chapter import start_new_chapter
from bot.reflection.service.feedback import ask_for_feedback, thank_for_feedback
from bot.reflection.service.stages import change_stage
from handlers.render import Asked, listener


def _notice(text: str) -> dict[str, Any]:
    return notice_modal(text)


def _id(asked: Asked) -> int | None:
    return parse_id(clicked_value(asked.body))


def _message_where(body: dict[str, Any]) -> dict[str, str]:
    container = body.get("container") or {}
    if container.get("type") != "message" or container.get("is_ephemeral"):
        return {}
    return {"channel": container.get("channel_id", ""), "ts": container.get("message_ts", "")}


def open_feedback(asked: Asked, session: Session) -> Result:
    """The feedback modal (of a kind, when the button says)."""
    pair_id, _, kind = clicked_value(asked.body).partition(":")
    team_id, user_id = asked.team_id, asked.user_id
    return opening.feedback_form_for(session, team_id, user_id, parse_id(pair_id), kind or None)


def thank(asked: Asked, session: Session) -> Result:
    """Thanks for a piece of feedback."""
    now = asked.ctx.clock.now()
    return thank_for_feedback(session, asked.team_id, asked.user_id, _id(asked), now)


def open_reply(asked: Asked, session: Session) -> Result:
    """The modal to answer a piece of feedback."""
    where = _message_where(asked.body)
    return opening.reply_form(session, asked.team_id, asked.user_id, _id(asked), where)


def ask(asked: Asked, session: Session) -> Result:
    """Ask the partner for feedback."""
    now = asked.ctx.clock.now()
    return ask_for_feedback(session, asked.team_id, asked.user_id, _id(asked), now)


def open_share(asked: Asked, session: Session) -> Result:
    """The giving-back modal."""
    return opening.share_form_for(session, asked.team_id, asked.user_id, _id(asked))


def open_share_as(asked: Asked, session: Session) -> Result:
    """The giving-back modal with a kind chosen (a story, from the mentor's invitation)."""
    pair_id, _, kind = clicked_value(asked.body).partition(":")
    team_id, user_id = asked.team_id, asked.user_id
    return opening.share_form_for(session, team_id, user_id, parse_id(pair_id), kind or None)


def open_review(asked: Asked, session: Session) -> Result:
    """The review modal."""
    now = asked.ctx.clock.now()
    return opening.review_form_for(session, asked.team_id, asked.user_id, _id(asked), now)


def pick_stage(asked: Asked, session: Session) -> Result:
    """A stage picked in the select (in a message, on Home or in a modal)."""
    picked = parse_stage_value(clicked_option(asked.body))
    if picked is None:
        return Reply()
    now = asked.ctx.clock.now()
    result = change_stage(session, asked.team_id, asked.user_id, picked[0], picked[1], now)
    if isinstance(result, Reply) and not asked.body.get("response_url"):
        result = replace(result, text=None)  # on Home and in a modal the select shows it
    return result


def open_closing_note(asked: Asked, session: Session) -> Result:
    """The modal for closing words."""
    return opening.closing_note_form(session, asked.team_id, asked.user_id, _id(asked))


def pick_how(asked: Asked, session: Session) -> Result:
    """Graduate or Close chosen in the end modal: show the private reason only for Close."""
    view, how = asked.body.get("view") or {}, clicked_option(asked.body)
    return opening.end_form_for(session, asked.team_id, asked.user_id, view, how)


def new_chapter(asked: Asked, session: Session) -> Result:
    """ "Start a new chapter": the next pair proposed, the charter and open goals carried."""
    ctx, in_modal = asked.ctx, (asked.body.get("container") or {}).get("type") == "view"
    return start_new_chapter(
        session,
        asked.client,
        ctx.settings,
        asked.team_id,
        asked.user_id,
        _id(asked),
        ctx.clock.now(),
        in_modal,
    )


def register(app: App, ctx: Tandem) -> None:
    """Register reflection's action listeners."""
    for action_id, use in (
        (OPEN_ACTION, open_feedback),
        (THANKS_ACTION, thank),
        (REPLY_ACTION, open_reply),
        (ASK_ACTION, ask),
        (SHARE_OPEN_ACTION, open_share),
        (SHARE_AS_ACTION, open_share_as),
        (REVIEW_OPEN_ACTION, open_review),
        (STAGE_ACTION, pick_stage),
        (NOTE_ACTION, open_closing_note),
        (HOW_ACTION, pick_how),
        (CHAPTER_ACTION, new_chapter),
    ):
        app.action(action_id)(listener(ctx, use, notice=_notice))
