"""Meeting modal submissions: notes, `/tandem log`, moving a meeting, reminder settings, pause."""

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Result
from bot.meetings.blocks.modals import LOG_VIEW, MOVE_VIEW, NOTES_VIEW, PAUSE_VIEW, SETTINGS_VIEW
from bot.meetings.service import submissions
from bot.meetings.service.pause_form import submit_pause
from handlers.render import Asked, UseCase, listener

Submit = Callable[[Tandem, Session, str, str, dict[str, Any]], Result]


def _on(submit: Submit) -> UseCase:
    def use(asked: Asked, session: Session) -> Result:
        view = asked.body["view"]
        return submit(asked.ctx, session, asked.team_id, asked.user_id, view)

    use.__name__ = submit.__name__
    return use


def register(app: App, ctx: Tandem) -> None:
    """Register the meeting modals' submissions."""
    app.view(NOTES_VIEW)(listener(ctx, _on(submissions.submit_notes)))
    app.view(LOG_VIEW)(listener(ctx, _on(submissions.submit_log)))
    app.view(MOVE_VIEW)(listener(ctx, _on(submissions.submit_move)))
    app.view(SETTINGS_VIEW)(listener(ctx, _on(submissions.submit_settings)))
    app.view(PAUSE_VIEW)(listener(ctx, _on(submit_pause)))
