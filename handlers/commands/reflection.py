"""`/tandem feedback`, `share`, `review` and `end`: each asks reflection's opening what to show."""

from bot.reflection.service import opening
from bot.reflection.service.stages import stage_command
from handlers.commands.request import CommandRequest, SubcommandHandler


def feedback(request: CommandRequest) -> None:
    """`/tandem feedback [@partner] [text]` opens the feedback modal."""
    with request.ctx.session() as session:
        result = opening.feedback_form(session, request.team_id, request.user_id, request.args)
    request.answer(result)


def share(request: CommandRequest) -> None:
    """`/tandem share [@partner] [kind] <text or link>` logs it, or opens the share modal."""
    now = request.ctx.clock.now()
    with request.ctx.session() as session:
        result = opening.share_command(session, request.team_id, request.user_id, request.args, now)
    request.answer(result)


def review(request: CommandRequest) -> None:
    """`/tandem review [@partner]` starts a review; `/tandem review history` shows past ones."""
    now = request.ctx.clock.now()
    with request.ctx.session() as session:
        result = opening.review_command(
            session, request.team_id, request.user_id, request.args, now
        )
    request.answer(result)


def end(request: CommandRequest) -> None:
    """`/tandem end [@partner]` opens Graduate / Close."""
    with request.ctx.session() as session:
        result = opening.end_form(session, request.team_id, request.user_id, request.args)
    request.answer(result)


def stage(request: CommandRequest) -> None:
    """`/tandem stage [@partner] [stage]`: show the pair's stage, or move it."""
    now = request.ctx.clock.now()
    with request.ctx.session() as session:
        result = stage_command(session, request.team_id, request.user_id, request.args, now)
    request.answer(result)


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "stage": stage,
    "feedback": feedback,
    "share": share,
    "review": review,
    "end": end,
}
