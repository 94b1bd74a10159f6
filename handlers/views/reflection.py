"""Modal submissions of reflection: feedback, replies, sharing, reviews, ending, closing words.

Each hands the submitted view to one use case in bot.reflection.service.submissions and renders
what it returns (the modal says what happened, or shows field errors).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.kit import notice_modal
from bot.core.modal_state import ModalState
from bot.core.results import Result
from bot.reflection.blocks.contributions import SHARE_CALLBACK
from bot.reflection.blocks.ending import END_CALLBACK, NOTE_CALLBACK
from bot.reflection.blocks.feedback import FEEDBACK_CALLBACK, REPLY_CALLBACK
from bot.reflection.blocks.review import REVIEW_CALLBACK
from bot.reflection.service import submissions
from handlers.render import Asked, UseCase, listener

Work = Callable[[Session, str, str, dict[str, Any], ModalState, datetime], Result]


def _notice(text: str) -> dict[str, Any]:
    return notice_modal(text)


def _on(work: Work) -> UseCase:
    def use(asked: Asked, session: Session) -> Result:
        view = asked.body["view"]
        values, now = ModalState.of_view(view), asked.ctx.clock.now()
        return work(session, asked.team_id, asked.user_id, view, values, now)

    use.__name__ = work.__name__
    return use


def register(app: App, ctx: Tandem) -> None:
    """Register reflection's view submission listeners."""
    for callback, work in (
        (FEEDBACK_CALLBACK, submissions.submit_feedback),
        (REPLY_CALLBACK, submissions.submit_reply),
        (SHARE_CALLBACK, submissions.submit_share),
        (REVIEW_CALLBACK, submissions.submit_review),
        (END_CALLBACK, submissions.submit_end),
        (NOTE_CALLBACK, submissions.submit_closing_note),
    ):
        app.view(callback)(listener(ctx, _on(work), notice=_notice))
