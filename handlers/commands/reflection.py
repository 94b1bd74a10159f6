"""`/tandem feedback`, `share`, `review` and `end`: each asks reflection's opening what to show."""

from sqlmodel import Session

from bot.core.results import Result
from bot.reflection.service import opening
from bot.reflection.service.stages import stage_command
from handlers.commands.request import CommandRequest, SubcommandHandler


def feedback(request: CommandRequest, session: Session) -> Result:
    """`/tandem feedback [@partner] [text]` opens the feedback modal."""
    return opening.feedback_form(session, request.team_id, request.user_id, request.args)


def share(request: CommandRequest, session: Session) -> Result:
    """`/tandem share [@partner] [kind] <text or link>` logs it, or opens the share modal."""
    now = request.ctx.clock.now()
    return opening.share_command(session, request.team_id, request.user_id, request.args, now)


def review(request: CommandRequest, session: Session) -> Result:
    """`/tandem review [@partner]` starts a review; `/tandem review history` shows past ones."""
    now = request.ctx.clock.now()
    return opening.review_command(session, request.team_id, request.user_id, request.args, now)


def end(request: CommandRequest, session: Session) -> Result:
    """`/tandem end [@partner]` opens Graduate / Close."""
    return opening.end_form(session, request.team_id, request.user_id, request.args)


def stage(request: CommandRequest, session: Session) -> Result:
    """`/tandem stage [@partner] [stage]`: show the pair's stage, or move it."""
    now = request.ctx.clock.now()
    return stage_command(session, request.team_id, request.user_id, request.args, now)


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "stage": stage,
    "feedback": feedback,
    "share": share,
    "review": review,
    "end": end,
}
