"""The "My preferences" button (on Home): open the preferences modal."""

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Refused, Reply, Result
from bot.delivery.blocks import OPEN_ACTION
from bot.delivery.personal import open_preferences
from handlers.render import Asked, listener


def open_modal(asked: Asked, session: Session) -> Result:
    """The modal; someone Slack would not let us look up gets nothing (they can't have one)."""
    ctx, client = asked.ctx, asked.client
    result = open_preferences(ctx, session, client, asked.team_id, asked.user_id)
    return Reply() if isinstance(result, Refused) else result


def register(app: App, ctx: Tandem) -> None:
    """Register the preferences button."""
    app.action(OPEN_ACTION)(listener(ctx, open_modal))
