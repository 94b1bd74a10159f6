"""`/tandem goal` and `/tandem update`: open the goal modals (or say kindly why not)."""

from bot.goals.service.opening import goal_form, update_form
from handlers.commands.request import CommandRequest, SubcommandHandler


def open_goal(request: CommandRequest) -> None:
    """`/tandem goal [@partner]`: the new-goal modal."""
    with request.ctx.session() as session:
        result = goal_form(session, request.team_id, request.user_id, request.args)
    request.answer(result)


def open_update(request: CommandRequest) -> None:
    """`/tandem update [@partner]`: the progress modal, or a hint to set a goal first."""
    with request.ctx.session() as session:
        result = update_form(session, request.team_id, request.user_id, request.args)
    request.answer(result)


SUBCOMMANDS: dict[str, SubcommandHandler] = {"goal": open_goal, "update": open_update}
