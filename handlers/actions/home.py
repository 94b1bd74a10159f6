"""Buttons on Home that start things in one pair: a goal, an update, a meeting to log.

The pair id in the button is checked again: only its two members get a modal.
"""

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.membership import LIVE, membership_in
from bot.core.modal_state import clicked, clicked_value
from bot.core.people import person_zone
from bot.core.results import Refused, Reply, Result
from bot.goals.blocks import modals as goal_modals
from bot.goals.service.opening import update_form
from bot.meetings.blocks.modals import log_modal
from bot.meetings.service.clicks import focus_areas
from bot.surfaces.home_tab import LOG_ACTION, NEW_GOAL_ACTION, UPDATE_ACTION
from handlers.render import Asked, listener

NOT_YOURS = "I couldn't find that mentorship among yours. Open Home again to see your pairs."


def _in_a_modal(result: Result) -> Result:
    """Home has no conversation to answer in: a refusal is said in a modal too."""
    return Reply(modal=notice_modal(result.message)) if isinstance(result, Refused) else result


def start(asked: Asked, session: Session) -> Result:
    """The modal the button starts, for a member of its live pair (or why not, in a modal)."""
    return _in_a_modal(_start(asked, session))


def _start(asked: Asked, session: Session) -> Result:
    ctx, team_id, user_id = asked.ctx, asked.team_id, asked.user_id
    pair_id = parse_id(clicked_value(asked.body))
    membership = membership_in(session, pair_id, team_id, user_id) if pair_id else None
    if membership is None or membership.pair.status not in LIVE:
        return Refused(NOT_YOURS)
    action_id = clicked(asked.body).get("action_id")
    if action_id == NEW_GOAL_ACTION:
        return Reply(modal=goal_modals.goal_modal([membership], membership))
    if action_id == UPDATE_ACTION:
        return update_form(session, team_id, user_id, f"<@{membership.partner.user_id}>")
    zone = person_zone(membership.me, ctx.settings)
    areas = focus_areas(session, membership.pair.id or 0)
    return Reply(modal=log_modal([membership], ctx.clock.now(), zone, areas))


def register(app: App, ctx: Tandem) -> None:
    """Register Home's start buttons."""
    for action_id in (NEW_GOAL_ACTION, UPDATE_ACTION, LOG_ACTION):
        app.action(action_id)(listener(ctx, start))
