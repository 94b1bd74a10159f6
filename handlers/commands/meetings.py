"""`/tandem agenda | reschedule | log | pause | resume | notes`."""

from collections.abc import Callable

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Result
from bot.meetings.service import commands
from bot.meetings.service.notes_browse import notes_command
from handlers.commands.request import CommandRequest, SubcommandHandler

Command = Callable[[Tandem, Session, WebClient, str, str, str], Result]


def _handler(run: Command) -> SubcommandHandler:
    def handle(request: CommandRequest, session: Session) -> Result:
        ctx, client = request.ctx, request.client
        return run(ctx, session, client, request.team_id, request.user_id, request.args)

    handle.__name__ = f"meeting_{run.__name__}"
    return handle


def notes(request: CommandRequest, session: Session) -> Result:
    """`/tandem notes [@partner] [page]`: past meetings' notes, newest first."""
    return notes_command(request.ctx, session, request.team_id, request.user_id, request.args)


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "notes": notes,
    "agenda": _handler(commands.agenda),
    "reschedule": _handler(commands.reschedule),
    "log": _handler(commands.log),
    "pause": _handler(commands.pause),
    "resume": _handler(commands.resume),
}
