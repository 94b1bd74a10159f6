"""`/tandem pair`, `/tandem charter [@partner] [history [n]]` and `/tandem status`."""

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.charter import blocks as charter_blocks
from bot.charter.service import edit_view
from bot.charter.versions import charter_history, version_by_number
from bot.core.ids import parse_id
from bot.core.membership import resolve_pair
from bot.core.mentions import strip_mentions
from bot.core.people import person_zone
from bot.core.results import Refused
from bot.pairs import blocks as pair_blocks
from bot.pairs.service import propose_pair
from bot.pairs.status import status_message
from handlers.commands.request import CommandRequest, SubcommandHandler

log = logging.getLogger(__name__)

CHARTER_USAGE = (
    "Try `/tandem charter` to write or revise your charter (add `@partner` if you have several "
    "pairs), or `/tandem charter history` to see its versions (`history 2` opens version 2)."
)
SEVERAL_PAIRS = (
    "You're in several pairs; say which one: `/tandem charter history @partner {number}`."
)
NO_FORM = "Slack didn't let me open the form in time. Please run the command again."


def propose(request: CommandRequest) -> None:
    """`/tandem pair @mentor @mentee`: propose a pair; both must accept."""
    ctx = request.ctx
    with ctx.session() as session:
        result = propose_pair(
            session,
            request.client,
            ctx.settings,
            request.team_id,
            request.user_id,
            request.args,
            ctx.clock.now(),
        )
    if isinstance(result, Refused):
        request.reply(result.message)
        return
    ctx.on_outbox_changed()
    request.reply(
        pair_blocks.proposed_reply(result.mentor, result.mentee, result.proposer, result.asked)
    )


def _open(request: CommandRequest, view: dict[str, Any]) -> None:
    request.ack_now()
    try:
        request.client.views_open(trigger_id=request.trigger_id, view=view)
    except SlackApiError as error:
        log.warning("views.open failed for /tandem charter: %s", error.response.get("error"))
        request.reply(NO_FORM)


def charter(request: CommandRequest) -> None:
    """`/tandem charter [@partner]` opens the form; `... history [n]` shows versions."""
    words = strip_mentions(request.args).split()
    if words and words[0].lower() == "history":
        _history(request, words[1:])
        return
    if words:
        request.reply(CHARTER_USAGE)
        return
    ctx = request.ctx
    with ctx.session() as session:
        target = resolve_pair(session, request.team_id, request.user_id, request.args)
        if isinstance(target, Refused):
            request.reply(target.message)
            return
        if isinstance(target, list):
            view = charter_blocks.picker_modal(target, "edit")
        else:
            view = edit_view(session, ctx, target)
    _open(request, view)


def _history(request: CommandRequest, words: list[str]) -> None:
    number = parse_id(words[0]) if words else None
    if len(words) > 1 or (words and number is None):
        request.reply(CHARTER_USAGE)
        return
    ctx = request.ctx
    with ctx.session() as session:
        target = resolve_pair(session, request.team_id, request.user_id, request.args)
        if isinstance(target, Refused):
            request.reply(target.message)
            return
        if isinstance(target, list):
            if number is not None:
                request.reply(SEVERAL_PAIRS.format(number=number))
                return
            view = charter_blocks.picker_modal(target, "history")
        else:
            zone = person_zone(target.me, ctx.settings)
            if number is None:
                view = charter_blocks.history_modal(charter_history(session, target), zone)
            else:
                record = version_by_number(session, target, number)
                if isinstance(record, Refused):
                    request.reply(record.message)
                    return
                view = charter_blocks.version_modal(target, record, zone)
    _open(request, view)


def status(request: CommandRequest) -> None:
    """`/tandem status`: each of my pairs, with its charter and what others add."""
    ctx = request.ctx
    with ctx.session() as session:
        answer = status_message(session, ctx, request.team_id, request.user_id, ctx.clock.now())
    request.reply(**answer)


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "pair": propose,
    "charter": charter,
    "status": status,
}
