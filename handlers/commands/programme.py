"""`/tandem join`, `/tandem leave`, and the programme's admin subcommands.

`/tandem admin import | match [cohort] | pairs [cohort] | cohorts | feedback | settings`;
`/tandem admin` (handlers/commands/admin.py) answers a non-admin with the same friendly
refusal before any of these runs.
"""

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from bot.admin import service as admin_service
from bot.core.results import Refused, Result
from bot.programme.service import commands
from bot.programme.service.cohorts import find_cohort
from handlers.commands.request import CommandRequest, SubcommandHandler

ADMIN_USAGE = (
    "Programme admin: `/tandem admin` (numbers and buttons), `/tandem admin import` (paste "
    "pairs), `/tandem admin match [cohort]` (a matching round), `/tandem admin pairs [cohort]` "
    "(the pairs at risk), `/tandem admin cohorts`, `/tandem admin feedback`, "
    "`/tandem admin settings`."
)

# An admin subcommand: (request, session, the admin asking, what follows the subcommand).
AdminSubcommand = Callable[[CommandRequest, Session, Any, str], Result]


def join(request: CommandRequest, session: Session) -> Result:
    """`/tandem join`: the profile modal for matching."""
    return commands.join(request.ctx, session, request.client, request.team_id, request.user_id)


def leave(request: CommandRequest, session: Session) -> Result:
    """`/tandem leave`: out of the matching pool."""
    return commands.leave(request.ctx, session, request.team_id, request.user_id)


def _import(request: CommandRequest, session: Session, admin: Any, rest: str) -> Result:
    return commands.open_import(session, request.team_id)


def _match(request: CommandRequest, session: Session, admin: Any, rest: str) -> Result:
    cohort = find_cohort(session, request.team_id, rest)
    if isinstance(cohort, Refused):
        return cohort
    request.acknowledge()  # a large pool takes a moment: the round comes through response_url
    return commands.match(request.ctx, session, admin, cohort)


def _pairs(request: CommandRequest, session: Session, admin: Any, rest: str) -> Result:
    return commands.at_risk(request.ctx, session, request.team_id, rest)


def _cohorts(request: CommandRequest, session: Session, admin: Any, rest: str) -> Result:
    return commands.cohorts(request.ctx, session, request.team_id)


def _feedback(request: CommandRequest, session: Session, admin: Any, rest: str) -> Result:
    return commands.feedback(session, request.team_id)


def _settings(request: CommandRequest, session: Session, admin: Any, rest: str) -> Result:
    return admin_service.open_settings(session, request.team_id)


ADMIN_SUBCOMMANDS: dict[str, AdminSubcommand] = {
    "import": _import,
    "match": _match,
    "pairs": _pairs,
    "cohorts": _cohorts,
    "cohort": _cohorts,
    "feedback": _feedback,
    "settings": _settings,
}

SUBCOMMANDS: dict[str, SubcommandHandler] = {"join": join, "leave": leave}
