"""`/tandem goal`, `/tandem update` and `/tandem celebrate`: open the goal modals, or
celebrate a win (or say kindly why not)."""

from sqlmodel import Session

from bot.core.results import Result
from bot.goals.service.opening import goal_form, update_form
from bot.goals.wins import celebrate_command
from handlers.commands.request import CommandRequest, SubcommandHandler


def open_goal(request: CommandRequest, session: Session) -> Result:
    """`/tandem goal [@partner]`: the new-goal modal."""
    return goal_form(session, request.team_id, request.user_id, request.args)


def open_update(request: CommandRequest, session: Session) -> Result:
    """`/tandem update [@partner]`: the progress modal, or a hint to set a goal first."""
    return update_form(session, request.team_id, request.user_id, request.args)


def celebrate(request: CommandRequest, session: Session) -> Result:
    """`/tandem celebrate [@partner] <win>`: a win outside any goal, shared with the partner."""
    return celebrate_command(request.ctx, session, request.team_id, request.user_id, request.args)


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "goal": open_goal,
    "update": open_update,
    "celebrate": celebrate,
}
