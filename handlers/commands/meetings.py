"""`/tandem agenda | reschedule | log | pause | resume`."""

from collections.abc import Callable

from bot.core.context import Tandem
from bot.core.results import Result
from bot.meetings.service import commands
from bot.meetings.service.notes_browse import notes_command
from handlers.commands.request import CommandRequest, SubcommandHandler


def _handler(run: Callable[[Tandem, str, str, str], Result]) -> SubcommandHandler:
    def handle(request: CommandRequest) -> None:
        request.answer(run(request.ctx, request.team_id, request.user_id, request.args))

    handle.__name__ = f"meeting_{run.__name__}"
    return handle


def notes(request: CommandRequest) -> None:
    """`/tandem notes [@partner] [page]`: past meetings' notes, newest first."""
    request.answer(notes_command(request.ctx, request.team_id, request.user_id, request.args))


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "notes": notes,
    "agenda": _handler(commands.agenda),
    "reschedule": _handler(commands.reschedule),
    "log": _handler(commands.log),
    "pause": _handler(commands.pause),
    "resume": _handler(commands.resume),
}
