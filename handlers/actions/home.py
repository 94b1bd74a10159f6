"""Buttons on Home that start things in one pair: a goal, an update, a meeting to log.

The pair id in the button is checked again: only its two members get a modal.
"""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.membership import LIVE, membership_in
from bot.core.people import person_zone
from bot.core.results import Refused
from bot.goals.blocks import modals as goal_modals
from bot.goals.service.opening import update_form
from bot.meetings.blocks.modals import log_modal
from bot.meetings.service.clicks import focus_areas
from bot.surfaces.home_tab import LOG_ACTION, NEW_GOAL_ACTION, UPDATE_ACTION
from handlers.safety import guarded

NOT_YOURS = "I couldn't find that mentorship among yours. Open Home again to see your pairs."


def _view_for(ctx: Tandem, body: dict[str, Any], action_id: str) -> dict[str, Any]:
    team_id = (body.get("team") or {}).get("id", "")
    user_id = (body.get("user") or {}).get("id", "")
    pair_id = parse_id((body.get("actions") or [{}])[0].get("value"))
    with ctx.session() as session:
        membership = membership_in(session, pair_id, team_id, user_id) if pair_id else None
        if membership is None or membership.pair.status not in LIVE:
            return notice_modal(NOT_YOURS)
        if action_id == NEW_GOAL_ACTION:
            return goal_modals.goal_modal([membership], membership)
        if action_id == UPDATE_ACTION:
            view = update_form(session, team_id, user_id, f"<@{membership.partner.user_id}>")
            return notice_modal(view.message) if isinstance(view, Refused) else view
        zone = person_zone(membership.me, ctx.settings)
        areas = focus_areas(session, membership.pair.id or 0)
        return log_modal([membership], ctx.clock.now(), zone, areas)


def register(app: App, ctx: Tandem) -> None:
    """Register Home's start buttons."""

    def start(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        view = _view_for(ctx, body, action.get("action_id", ""))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    for action_id in (NEW_GOAL_ACTION, UPDATE_ACTION, LOG_ACTION):
        app.action(action_id)(guarded(start))
