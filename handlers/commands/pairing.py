"""`/tandem pair`, `/tandem charter [@partner] [history [n]]` and `/tandem status`."""

from sqlmodel import Session

from bot.charter.service import open_charter, open_history
from bot.core.ids import parse_id
from bot.core.mentions import strip_mentions
from bot.core.results import Refused, Result
from bot.pairs.service import propose
from bot.surfaces.status import status_message
from handlers.commands.request import CommandRequest, SubcommandHandler

CHARTER_USAGE = (
    "Try `/tandem charter` to write or revise your charter (add `@partner` if you have several "
    "pairs), or `/tandem charter history` to see its versions (`history 2` opens version 2)."
)


def pair(request: CommandRequest, session: Session) -> Result:
    """`/tandem pair @mentor @mentee`: propose a pair; both must accept."""
    ctx = request.ctx
    return propose(ctx, session, request.client, request.team_id, request.user_id, request.args)


def charter(request: CommandRequest, session: Session) -> Result:
    """`/tandem charter [@partner]` opens the form; `... history [n]` shows versions."""
    words = strip_mentions(request.args).split()
    history = bool(words) and words[0].lower() == "history"
    number = parse_id(words[1]) if history and len(words) == 2 else None
    if (words and not history) or len(words) > 2 or (len(words) == 2 and number is None):
        return Refused(CHARTER_USAGE)
    ctx, team_id, user_id, args = request.ctx, request.team_id, request.user_id, request.args
    if history:
        return open_history(ctx, session, team_id, user_id, args, number)
    return open_charter(ctx, session, team_id, user_id, args)


def status(request: CommandRequest, session: Session) -> Result:
    """`/tandem status`: each of my pairs, with its charter and what others add."""
    ctx = request.ctx
    return status_message(ctx, session, request.team_id, request.user_id, ctx.clock.now())


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "pair": pair,
    "charter": charter,
    "status": status,
}
