"""Buttons of pairing and the charter: Accept/Decline, Write our charter, Acknowledge, View.

Every button carries an id only; who clicked and what state the pair is in now are checked
again in bot/. Someone who is not in the pair gets the same answer as for an id that does not
exist, privately.
"""

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.charter import blocks as charter_blocks
from bot.charter.change_requests import changes_modal
from bot.charter.service import (
    acknowledge_click,
    acknowledge_in_modal,
    open_charter_of,
    version_view,
)
from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.membership import refused_in_place
from bot.core.modal_state import clicked_value
from bot.core.results import Refused, Reply
from bot.pairs import blocks as pair_blocks
from bot.pairs.service import accept_pair, decline_pair
from handlers.modals import open_modal, push_modal, update_modal
from handlers.render import Asked, render
from handlers.safety import guarded


def _who(body: dict[str, Any]) -> tuple[str, str]:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return team, user.get("id", "")


def _id(body: dict[str, Any]) -> int | None:
    return parse_id(clicked_value(body))


def _show(client: WebClient, body: dict[str, Any], view: dict[str, Any], push: bool) -> None:
    """Open `view` (or push it onto the modal the click came from) with the click's trigger."""
    if push:
        push_modal(client, body.get("trigger_id"), view)
    else:
        open_modal(client, body.get("trigger_id"), view)


def register(app: App, ctx: Tandem) -> None:
    """Register the pairing and charter buttons."""

    def accept(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        result = accept_pair(ctx, client, team_id, user_id, _id(body))
        render(Asked(ctx, body, ack, client, respond), result)

    def decline(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            result = decline_pair(session, team_id, user_id, _id(body), ctx.clock.now())
        render(Asked(ctx, body, ack, client, respond), result)

    def open_charter(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            result = open_charter_of(ctx, session, team_id, user_id, _id(body))
        render(Asked(ctx, body, ack, client, respond, by_dm=True), result)

    def acknowledge_version(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        container = body.get("container") or {}
        if container.get("type") == "view":
            view = acknowledge_in_modal(ctx, team_id, user_id, _id(body))
            update_modal(client, container.get("view_id"), view)
            return
        with ctx.session() as session:
            result = acknowledge_click(ctx, session, team_id, user_id, _id(body))
        render(Asked(ctx, body, ack, client, respond), result)

    def view_version(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            view = version_view(ctx, session, team_id, user_id, _id(body))
        in_modal = (body.get("container") or {}).get("type") == "view"
        if isinstance(view, Refused) and not in_modal:
            render(Asked(ctx, body, ack, client, respond, by_dm=True), view)
            return
        if isinstance(view, Refused):
            view = notice_modal(view.message)
        _show(client, body, view, push=in_modal)

    app.action(pair_blocks.ACCEPT_ACTION)(guarded(accept))
    app.action(pair_blocks.DECLINE_ACTION)(guarded(decline))
    app.action(charter_blocks.OPEN_CHARTER_ACTION)(guarded(open_charter))
    app.action(charter_blocks.ACK_PATTERN)(guarded(acknowledge_version))
    app.action(charter_blocks.VIEW_VERSION_PATTERN)(guarded(view_version))

    def open_changes(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            view = changes_modal(session, team_id, user_id, _id(body))
        result = refused_in_place(view) if isinstance(view, Refused) else Reply(modal=view)
        render(Asked(ctx, body, ack, client, respond), result)

    app.action(charter_blocks.CHANGES_ACTION)(guarded(open_changes))
