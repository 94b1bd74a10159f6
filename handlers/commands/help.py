"""`/tandem help`."""

from sqlmodel import Session

from bot.core.help import help_message
from bot.core.results import Result
from handlers.commands.request import CommandRequest, SubcommandHandler


def show_help(request: CommandRequest, session: Session) -> Result:
    """Answer with every subcommand and what it does."""
    return help_message()


SUBCOMMANDS: dict[str, SubcommandHandler] = {"help": show_help}
