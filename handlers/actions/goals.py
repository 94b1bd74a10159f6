"""Buttons on goal messages, the goal picker in the update modal, and the share answers."""

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.modal_state import clicked, clicked_option, clicked_value
from bot.core.results import Refused, Reply
from bot.goals.announcements import decide_share
from bot.goals.blocks import cheers, messages
from bot.goals.service.editing import edit_form
from bot.goals.service.lifecycle import click_resume
from bot.goals.service.opening import status_form, update_form, update_form_for_goal
from bot.goals.service.progress import click_done
from handlers.modals import update_modal
from handlers.render import Asked, render
from handlers.safety import guarded

TICK = re.compile(r"^goal\.tick:\d+$")
STATUS_ACTIONS = {
    messages.COMPLETE_ACTION: "complete",
    messages.PAUSE_ACTION: "pause",
    messages.DROP_ACTION: "drop",
}


def _ids(body: dict[str, Any]) -> tuple[str, str, str]:
    """(team, user, the clicked element's value)."""
    team_id = (body.get("team") or {}).get("id", "")
    user_id = (body.get("user") or {}).get("id", "")
    return team_id, user_id, clicked_value(body)


def register(app: App, ctx: Tandem) -> None:
    """Register the goal action listeners."""

    def tick(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id, value = _ids(body)
        with ctx.session() as session:
            result = click_done(ctx, session, team_id, user_id, value)
        render(Asked(ctx, body, ack, client, respond), result)

    def open_progress(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id, value = _ids(body)
        with ctx.session() as session:
            result = update_form_for_goal(session, team_id, user_id, parse_id(value))
        render(Asked(ctx, body, ack, client, respond), result)

    def open_status(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id, value = _ids(body)
        change = STATUS_ACTIONS[clicked(body).get("action_id")]
        with ctx.session() as session:
            result = status_form(session, team_id, user_id, parse_id(value), change)
        render(Asked(ctx, body, ack, client, respond), result)

    def open_edit(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id, value = _ids(body)
        with ctx.session() as session:
            view = edit_form(session, team_id, user_id, parse_id(value))
        result = view if isinstance(view, Refused) else Reply(modal=view)
        render(Asked(ctx, body, ack, client, respond), result)

    def resume(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id, value = _ids(body)
        with ctx.session() as session:
            result = click_resume(ctx, session, team_id, user_id, parse_id(value))
        render(Asked(ctx, body, ack, client, respond), result)

    def pick_goal(ack: Ack, body: dict, client: WebClient) -> None:
        """Another goal chosen in the update modal: show its milestones and progress."""
        ack()
        team_id, user_id, _ = _ids(body)
        picked = clicked_option(body)
        with ctx.session() as session:
            result = update_form(session, team_id, user_id, goal_id=parse_id(picked))
        if not isinstance(result, Reply) or result.modal is None:
            return  # their goals changed meanwhile; submitting will say so
        current = body.get("view") or {}
        update_modal(client, current.get("id"), result.modal, current.get("hash"))

    def answer_share(share: bool):  # type: ignore[no-untyped-def]
        def answer(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
            ack()
            team_id, user_id, value = _ids(body)
            now = ctx.clock.now()
            with ctx.session() as session:
                result = decide_share(ctx, session, team_id, user_id, parse_id(value), share, now)
            render(Asked(ctx, body, ack, client, respond), result)

        return answer

    app.action(TICK)(guarded(tick))
    app.action(messages.PROGRESS_ACTION)(guarded(open_progress))
    for action_id in STATUS_ACTIONS:
        app.action(action_id)(guarded(open_status))
    app.action(messages.RESUME_ACTION)(guarded(resume))
    app.action(messages.EDIT_ACTION)(guarded(open_edit))
    app.action("upd.goal")(guarded(pick_goal))
    app.action(cheers.SHARE_ACTION)(guarded(answer_share(True)))
    app.action(cheers.RETRY_ACTION)(guarded(answer_share(True)))
    app.action(cheers.NO_SHARE_ACTION)(guarded(answer_share(False)))
