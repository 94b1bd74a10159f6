"""`/tandem help`."""

from bot.core.help import help_message
from handlers.commands.request import CommandRequest, SubcommandHandler


def show_help(request: CommandRequest) -> None:
    """Answer with every subcommand and what it does."""
    request.answer(help_message())


SUBCOMMANDS: dict[str, SubcommandHandler] = {"help": show_help}
