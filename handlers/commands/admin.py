"""`/tandem admin`: the admin menu (admins only)."""

from bot.admin.access import require_admin
from bot.admin.blocks import admin_menu
from bot.core.results import Refused
from bot.reflection.programme import programme_health
from handlers.commands.programme import ADMIN_USAGE, admin_subcommand
from handlers.commands.request import CommandRequest, SubcommandHandler


def show_admin_menu(request: CommandRequest) -> None:
    """Programme numbers and the admin's actions, or a kind refusal for everyone else.

    `/tandem admin <subcommand>` runs one of the programme's admin subcommands.
    """
    ctx = request.ctx
    word, _, rest = request.args.strip().partition(" ")
    if word and admin_subcommand(request, word.lower(), rest.strip()):
        return
    with ctx.session() as session:
        refusal = require_admin(
            session, request.client, ctx.settings, request.team_id, request.user_id, ctx.clock.now()
        )
        if isinstance(refusal, Refused):
            request.reply(refusal.message)
            return
        if word:
            request.reply(f"I don't know `/tandem admin {word[:30]}`. {ADMIN_USAGE}")
            return
        health = programme_health(session, request.team_id, ctx.clock.now())
        request.reply(**admin_menu(health.lines()))


SUBCOMMANDS: dict[str, SubcommandHandler] = {"admin": show_admin_menu}
