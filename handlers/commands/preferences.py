"""`/tandem preferences`: my own quiet hours, muted and snoozed nudges."""

from sqlmodel import Session

from bot.core.results import Result
from bot.delivery.personal import open_preferences
from handlers.commands.request import CommandRequest, SubcommandHandler


def preferences(request: CommandRequest, session: Session) -> Result:
    """Open the preferences modal."""
    ctx, client = request.ctx, request.client
    return open_preferences(ctx, session, client, request.team_id, request.user_id)


SUBCOMMANDS: dict[str, SubcommandHandler] = {"preferences": preferences}
