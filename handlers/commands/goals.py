"""`/tandem goal` and `/tandem update`: open the goal modals (or say kindly why not)."""

from typing import Any

from bot.core.results import Refused
from bot.goals.service.opening import goal_form, update_form
from handlers.commands.request import CommandRequest, SubcommandHandler


def _open(request: CommandRequest, view: dict[str, Any] | Refused) -> None:
    if isinstance(view, Refused):
        request.reply(view.message)
        return
    request.ack_now()  # the trigger lives 3 s: ack, then open at once
    request.client.views_open(trigger_id=request.trigger_id, view=view)


def open_goal(request: CommandRequest) -> None:
    """`/tandem goal [@partner]`: the new-goal modal."""
    with request.ctx.session() as session:
        view = goal_form(session, request.team_id, request.user_id, request.args)
    _open(request, view)


def open_update(request: CommandRequest) -> None:
    """`/tandem update [@partner]`: the progress modal, or a hint to set a goal first."""
    with request.ctx.session() as session:
        view = update_form(session, request.team_id, request.user_id, request.args)
    _open(request, view)


SUBCOMMANDS: dict[str, SubcommandHandler] = {"goal": open_goal, "update": open_update}
