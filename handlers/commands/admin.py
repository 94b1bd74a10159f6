"""`/tandem admin [subcommand]`: the admin menu and the programme's admin subcommands, for
admins only (everyone else gets the same kind refusal, before anything is read)."""

from sqlmodel import Session

from bot.admin import service
from bot.core.results import Refused, Result
from handlers.commands.programme import ADMIN_SUBCOMMANDS, ADMIN_USAGE
from handlers.commands.request import CommandRequest, SubcommandHandler
from handlers.guard import admin_asking


def show_admin_menu(request: CommandRequest, session: Session) -> Result:
    """Programme numbers and the admin's actions; `/tandem admin <subcommand>` runs one of
    the programme's admin subcommands."""
    admin = admin_asking(request.asked, session)
    if isinstance(admin, Refused):
        return admin
    word, _, rest = request.args.strip().partition(" ")
    subcommand = ADMIN_SUBCOMMANDS.get(word.lower()) if word else None
    if subcommand is not None:
        return subcommand(request, session, admin, rest.strip())
    unknown = f"I don't know `/tandem admin {word[:30]}`. {ADMIN_USAGE}" if word else None
    return service.menu(request.ctx, session, request.team_id, unknown)


SUBCOMMANDS: dict[str, SubcommandHandler] = {"admin": show_admin_menu}
