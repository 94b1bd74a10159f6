"""Submissions of the goal modals: a new goal, a progress update, a status change, an edit,
a win outside any goal."""

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import read_metadata
from bot.core.modal_state import ModalState
from bot.core.results import Result
from bot.goals.blocks import modals
from bot.goals.blocks.wins import WIN_CALLBACK
from bot.goals.service.create import create_goal
from bot.goals.service.editing import EDIT_CALLBACK, submit_edit
from bot.goals.service.lifecycle import submit_status_change
from bot.goals.service.progress import post_update
from bot.goals.wins import submit_win
from handlers.render import Asked, UseCase, listener

Submission = Callable[[Tandem, Session, str, str, ModalState, dict[str, Any]], Result]


def _on(submission: Submission) -> UseCase:
    def use(asked: Asked, session: Session) -> Result:
        view = asked.body["view"]
        values, metadata = ModalState.of_view(view), read_metadata(view)
        return submission(asked.ctx, session, asked.team_id, asked.user_id, values, metadata)

    use.__name__ = submission.__name__
    return use


def register(app: App, ctx: Tandem) -> None:
    """Register the goal view listeners."""
    notice = modals.notice_modal
    app.view(modals.CREATE_CALLBACK)(listener(ctx, _on(create_goal), notice=notice))
    app.view(modals.UPDATE_CALLBACK)(listener(ctx, _on(post_update), notice=notice))
    app.view(modals.STATUS_CALLBACK)(listener(ctx, _on(submit_status_change), notice=notice))
    app.view(EDIT_CALLBACK)(listener(ctx, _on(submit_edit), notice=notice))
    app.view(WIN_CALLBACK)(listener(ctx, _on(submit_win), notice=notice))
