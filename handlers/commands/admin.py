"""`/tandem admin`: the admin menu (admins only)."""

from bot.admin import service
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
    unknown = f"I don't know `/tandem admin {word[:30]}`. {ADMIN_USAGE}" if word else None
    with ctx.session() as session:
        result = service.menu(
            ctx, session, request.client, request.team_id, request.user_id, unknown
        )
    request.answer(result)


SUBCOMMANDS: dict[str, SubcommandHandler] = {"admin": show_admin_menu}
