"""The message shortcut "Share with my mentoring partner": any message becomes a share."""

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Result
from bot.reflection.service import opening
from handlers.render import Asked, listener

SHARE_MESSAGE_SHORTCUT = "reflection.share_message"


def share_message(asked: Asked, session: Session) -> Result:
    """The share modal, filled with the message the shortcut was used on."""
    message = asked.body.get("message") or {}
    channel_id = (asked.body.get("channel") or {}).get("id", "")
    return opening.share_message_form(
        session, asked.client, asked.team_id, asked.user_id, message, channel_id
    )


def register(app: App, ctx: Tandem) -> None:
    """Register reflection's shortcut listeners."""
    app.shortcut(SHARE_MESSAGE_SHORTCUT)(listener(ctx, share_message))
