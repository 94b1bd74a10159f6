"""`/tandem`: parse the subcommand, run its handler in one transaction, and render its answer."""

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core import subcommands
from bot.core.context import Tandem
from bot.core.help import unknown_subcommand
from bot.core.modal_state import clean_text
from bot.core.results import Refused
from handlers.commands import (
    admin,
    goals,
    help,
    meetings,
    pairing,
    preferences,
    programme,
    reflection,
)
from handlers.commands.request import CommandRequest, SubcommandHandler
from handlers.render import Asked, acknowledge, render

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and nothing was saved. Please try again in a minute."
)


def subcommand_handlers() -> dict[str, SubcommandHandler]:
    """Every subcommand's handler, by name."""
    return {
        **help.SUBCOMMANDS,
        **admin.SUBCOMMANDS,
        **reflection.SUBCOMMANDS,
        **pairing.SUBCOMMANDS,
        **goals.SUBCOMMANDS,
        **meetings.SUBCOMMANDS,
        **programme.SUBCOMMANDS,
        **preferences.SUBCOMMANDS,
    }


def register(app: App, ctx: Tandem) -> None:
    """Register `/tandem`."""
    handlers = subcommand_handlers()

    def tandem_command(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        name, args = subcommands.parse(clean_text(body.get("text")) or "")
        asked = Asked(ctx, body, ack, client, respond)
        handler = handlers.get(name)
        if handler is None:
            render(asked, unknown_subcommand(name))
            return
        try:
            with ctx.session() as session:
                result = handler(CommandRequest(asked, args), session)
            render(asked, result)
        except Exception:
            log.exception("/tandem %s failed for %s", name, asked.user_id)
            render(asked, Refused(SORRY))
        acknowledge(asked)

    app.command("/tandem")(tandem_command)
