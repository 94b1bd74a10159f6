"""Submissions of the goal modals: a new goal, a progress update, a status change."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import read_metadata
from bot.core.modal_state import ModalState
from bot.core.results import Reply, Result
from bot.goals.blocks import modals
from bot.goals.service.create import create_goal
from bot.goals.service.editing import EDIT_CALLBACK, submit_edit
from bot.goals.service.lifecycle import submit_status_change
from bot.goals.service.progress import post_update
from handlers.render import Asked, render
from handlers.safety import guarded

Submission = Callable[[Tandem, Session, str, str, ModalState, dict[str, Any]], Any]


def register(app: App, ctx: Tandem) -> None:
    """Register the goal view listeners."""

    def handle(submission: Submission):  # type: ignore[no-untyped-def]
        def submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
            team_id = (body.get("team") or {}).get("id", "")
            user_id = (body.get("user") or {}).get("id", "")
            values = ModalState.of_view(view)
            with ctx.session() as session:
                result = submission(ctx, session, team_id, user_id, values, read_metadata(view))
            done = result if isinstance(result, Result) else Reply(queued=True)
            render(Asked(ctx, body, ack, client), done, modals.notice_modal)

        return submitted

    app.view(modals.CREATE_CALLBACK)(guarded(handle(create_goal)))
    app.view(modals.UPDATE_CALLBACK)(guarded(handle(post_update)))
    app.view(modals.STATUS_CALLBACK)(guarded(handle(submit_status_change)))
    app.view(EDIT_CALLBACK)(guarded(handle(submit_edit)))
