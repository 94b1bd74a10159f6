"""`/tandem feedback`, `share`, `review` and `end`: each asks bot.reflection.forms what to show."""

from bot.core.results import Refused
from bot.reflection.service import opening
from handlers.commands.request import CommandRequest, SubcommandHandler


def answer(request: CommandRequest, result: opening.Answer) -> None:
    """Open the modal, or reply privately; queued messages go out at once."""
    if isinstance(result, Refused):
        request.reply(result.message)
    elif isinstance(result, opening.OpenModal):
        request.ack_now()
        request.client.views_open(trigger_id=request.trigger_id, view=result.view)
    else:
        request.reply(result.text, result.blocks)
        if result.queued:
            request.ctx.on_outbox_changed()


def feedback(request: CommandRequest) -> None:
    """`/tandem feedback [@partner] [text]` opens the feedback modal."""
    with request.ctx.session() as session:
        result = opening.feedback_form(session, request.team_id, request.user_id, request.args)
    answer(request, result)


def share(request: CommandRequest) -> None:
    """`/tandem share [@partner] [kind] <text or link>` logs it, or opens the share modal."""
    now = request.ctx.clock.now()
    with request.ctx.session() as session:
        result = opening.share_command(session, request.team_id, request.user_id, request.args, now)
    answer(request, result)


def review(request: CommandRequest) -> None:
    """`/tandem review [@partner]` starts a review; `/tandem review history` shows past ones."""
    now = request.ctx.clock.now()
    with request.ctx.session() as session:
        result = opening.review_command(
            session, request.team_id, request.user_id, request.args, now
        )
    answer(request, result)


def end(request: CommandRequest) -> None:
    """`/tandem end [@partner]` opens Graduate / Close."""
    with request.ctx.session() as session:
        result = opening.end_form(session, request.team_id, request.user_id, request.args)
    answer(request, result)


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "feedback": feedback,
    "share": share,
    "review": review,
    "end": end,
}
