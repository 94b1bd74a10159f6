"""`/tandem agenda | reschedule | log | pause | resume`."""

from collections.abc import Callable

from bot.core.context import Tandem
from bot.meetings.service import commands
from bot.meetings.service.commands import Modal
from handlers.commands.request import CommandRequest, SubcommandHandler


def _handler(run: Callable[[Tandem, str, str, str], Modal | str]) -> SubcommandHandler:
    def handle(request: CommandRequest) -> None:
        answer = run(request.ctx, request.team_id, request.user_id, request.args)
        if isinstance(answer, Modal):
            request.ack_now()  # the trigger lives 3 s: acknowledge, then open at once
            request.client.views_open(trigger_id=request.trigger_id, view=answer.view)
        else:
            request.reply(answer)
        request.ctx.on_outbox_changed()

    handle.__name__ = f"meeting_{run.__name__}"
    return handle


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "agenda": _handler(commands.agenda),
    "reschedule": _handler(commands.reschedule),
    "log": _handler(commands.log),
    "pause": _handler(commands.pause),
    "resume": _handler(commands.resume),
}
