"""The global shortcut "Log a mentoring meeting": the `/tandem log` form from anywhere."""

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Result
from bot.meetings.service import commands
from handlers.render import Asked, listener

LOG_MEETING_SHORTCUT = "meetings.log"


def log_meeting(asked: Asked, session: Session) -> Result:
    """The meeting log modal, as `/tandem log` opens it (a pair picker with several pairs)."""
    return commands.log(asked.ctx, session, asked.client, asked.team_id, asked.user_id, "")


def register(app: App, ctx: Tandem) -> None:
    """Register meetings' shortcut listeners."""
    app.shortcut(LOG_MEETING_SHORTCUT)(listener(ctx, log_meeting))
