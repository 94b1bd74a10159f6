"""Modal submissions of reflection: feedback, replies, sharing, reviews, ending, closing words.

Each hands the submitted view to one use case in bot.reflection.service.submissions and renders
what it returns (the modal says what happened, or shows field errors).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.modal_state import ModalState
from bot.core.results import Result
from bot.reflection.blocks.contributions import SHARE_CALLBACK
from bot.reflection.blocks.ending import END_CALLBACK, NOTE_CALLBACK
from bot.reflection.blocks.feedback import FEEDBACK_CALLBACK, REPLY_CALLBACK
from bot.reflection.blocks.review import REVIEW_CALLBACK
from bot.reflection.service import submissions
from handlers.render import Asked, render
from handlers.safety import guarded

Work = Callable[[Session, str, str, dict[str, Any], ModalState, datetime], Result]


def register(app: App, ctx: Tandem) -> None:
    """Register reflection's view submission listeners."""

    def run(work: Work) -> Callable[..., None]:
        def listener(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
            team_id = (body.get("team") or {}).get("id", "")
            user_id = (body.get("user") or {}).get("id", "")
            values = ModalState.of_view(view)
            with ctx.session() as session:
                result = work(session, team_id, user_id, view, values, ctx.clock.now())
            render(Asked(ctx, body, ack, client), result)

        listener.__name__ = work.__name__
        return listener

    app.view(FEEDBACK_CALLBACK)(guarded(run(submissions.submit_feedback)))
    app.view(REPLY_CALLBACK)(guarded(run(submissions.submit_reply)))
    app.view(SHARE_CALLBACK)(guarded(run(submissions.submit_share)))
    app.view(REVIEW_CALLBACK)(guarded(run(submissions.submit_review)))
    app.view(END_CALLBACK)(guarded(run(submissions.submit_end)))
    app.view(NOTE_CALLBACK)(guarded(run(submissions.submit_closing_note)))
