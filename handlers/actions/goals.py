"""Buttons on goal messages, the goal picker in the update modal, the share answers, and
Home's "Celebrate a win"."""

import re

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.modal_state import clicked, clicked_option, clicked_value
from bot.core.results import Refused, Reply, Result
from bot.goals.announcements import decide_share
from bot.goals.blocks import cheers, messages
from bot.goals.blocks.wins import CELEBRATE_ACTION
from bot.goals.service.editing import edit_form
from bot.goals.service.lifecycle import click_resume
from bot.goals.service.opening import status_form, update_form, update_form_for_goal
from bot.goals.service.progress import click_done
from bot.goals.wins import win_form_for
from handlers.render import Asked, UseCase, listener

TICK = re.compile(r"^goal\.tick:\d+$")
STATUS_ACTIONS = {
    messages.COMPLETE_ACTION: "complete",
    messages.PAUSE_ACTION: "pause",
    messages.DROP_ACTION: "drop",
}


def tick(asked: Asked, session: Session) -> Result:
    """A milestone ticked done."""
    value = clicked_value(asked.body)
    return click_done(asked.ctx, session, asked.team_id, asked.user_id, value)


def open_progress(asked: Asked, session: Session) -> Result:
    """ "Post progress": the progress modal, this goal chosen."""
    goal_id = parse_id(clicked_value(asked.body))
    return update_form_for_goal(session, asked.team_id, asked.user_id, goal_id)


def open_status(asked: Asked, session: Session) -> Result:
    """Complete, pause or drop: the modal asking why."""
    change = STATUS_ACTIONS[clicked(asked.body).get("action_id")]
    goal_id = parse_id(clicked_value(asked.body))
    return status_form(session, asked.team_id, asked.user_id, goal_id, change)


def open_edit(asked: Asked, session: Session) -> Result:
    """ "Edit": the goal's edit modal."""
    return edit_form(session, asked.team_id, asked.user_id, parse_id(clicked_value(asked.body)))


def resume(asked: Asked, session: Session) -> Result:
    """A paused goal resumed."""
    goal_id = parse_id(clicked_value(asked.body))
    return click_resume(asked.ctx, session, asked.team_id, asked.user_id, goal_id)


def pick_goal(asked: Asked, session: Session) -> Result:
    """Another goal chosen in the update modal: show its milestones and progress."""
    goal_id = parse_id(clicked_option(asked.body))
    result = update_form(session, asked.team_id, asked.user_id, goal_id=goal_id)
    if not isinstance(result, Reply) or result.modal is None:
        return Reply()  # their goals changed meanwhile; submitting will say so
    return Reply(refresh=result.modal)


def open_win(asked: Asked, session: Session) -> Result:
    """Home's "Celebrate a win": the small modal for that pair (or why not, in a modal: Home
    has no conversation to answer in)."""
    pair_id = parse_id(clicked_value(asked.body))
    result = win_form_for(session, asked.team_id, asked.user_id, pair_id)
    return Reply(modal=notice_modal(result.message)) if isinstance(result, Refused) else result


def answer_share(share: bool) -> UseCase:
    """Share a celebration in the channel (or retry), or keep it in the pair."""

    def answer(asked: Asked, session: Session) -> Result:
        ctx, goal_id = asked.ctx, parse_id(clicked_value(asked.body))
        now = ctx.clock.now()
        return decide_share(ctx, session, asked.team_id, asked.user_id, goal_id, share, now)

    answer.__name__ = f"answer_share_{share}"
    return answer


def register(app: App, ctx: Tandem) -> None:
    """Register the goal action listeners."""
    app.action(TICK)(listener(ctx, tick))
    app.action(messages.PROGRESS_ACTION)(listener(ctx, open_progress))
    for action_id in STATUS_ACTIONS:
        app.action(action_id)(listener(ctx, open_status))
    app.action(messages.RESUME_ACTION)(listener(ctx, resume))
    app.action(messages.EDIT_ACTION)(listener(ctx, open_edit))
    app.action("upd.goal")(listener(ctx, pick_goal))
    app.action(CELEBRATE_ACTION)(listener(ctx, open_win))
    app.action(cheers.SHARE_ACTION)(listener(ctx, answer_share(True)))
    app.action(cheers.RETRY_ACTION)(listener(ctx, answer_share(True)))
    app.action(cheers.NO_SHARE_ACTION)(listener(ctx, answer_share(False)))
