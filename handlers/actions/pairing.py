"""Buttons of pairing and the charter: Accept/Decline, Write our charter, Acknowledge, View.

Every button carries an id only; who clicked and what state the pair is in now are checked
again in bot/. Someone who is not in the pair gets the same answer as for an id that does not
exist, privately.
"""

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.charter import blocks as charter_blocks
from bot.charter.access import member_of
from bot.charter.change_requests import changes_modal
from bot.charter.service import NOT_LIVE, Acked, acknowledge, edit_view
from bot.charter.versions import version_by_id
from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.membership import LIVE, NOT_FOUND
from bot.core.modal_state import clicked_value
from bot.core.people import person_zone
from bot.core.results import Refused
from bot.pairs import blocks as pair_blocks
from bot.pairs.group_dm import welcome_new_pair
from bot.pairs.service import accept_pair, decline_pair
from handlers.modals import open_modal, push_modal, update_modal
from handlers.private_reply import tell
from handlers.safety import guarded

log = logging.getLogger(__name__)


def _who(body: dict[str, Any]) -> tuple[str, str]:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return team, user.get("id", "")


def _id(body: dict[str, Any]) -> int | None:
    return parse_id(clicked_value(body))


def _answer(
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """Replace the clicked message with `text` (a private reply when it can't be replaced).

    "Not found" is always private: the clicked message is not theirs to change.
    """
    container = body.get("container") or {}
    if (
        text != NOT_FOUND
        and container.get("type") == "message"
        and not container.get("is_ephemeral")
    ):
        try:
            client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                text=text,
                blocks=blocks or pair_blocks.answered(text)[1],
            )
            return
        except SlackApiError as error:
            log.warning("chat.update of a clicked message failed: %s", error.response.get("error"))
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
    elif body.get("trigger_id"):  # clicked on Home: say it in a small modal
        try:
            client.views_open(trigger_id=body["trigger_id"], view=charter_blocks.notice_modal(text))
        except SlackApiError as error:
            log.warning("could not answer a Home click: %s", error.response.get("error"))


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
        with ctx.session() as session:
            result = accept_pair(session, team_id, user_id, _id(body), ctx.clock.now())
        ctx.on_outbox_changed()
        if isinstance(result, Refused):
            _answer(body, client, respond, result.message)
            return
        home = welcome_new_pair(ctx, client, team_id, result.pair.id) if result.activated else None
        text = pair_blocks.accepted_text(result.pair, result.membership.partner, home)
        _answer(body, client, respond, text)

    def decline(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            result = decline_pair(session, team_id, user_id, _id(body), ctx.clock.now())
        ctx.on_outbox_changed()
        text = result.message if isinstance(result, Refused) else pair_blocks.DECLINED_TEXT
        _answer(body, client, respond, text)

    def open_charter(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            membership = member_of(session, team_id, user_id, _id(body))
            if isinstance(membership, Refused):
                refusal = membership.message
            elif membership.pair.status not in LIVE:
                refusal = NOT_LIVE
            else:
                refusal, view = None, edit_view(session, ctx, membership)
        if refusal is not None:
            tell(body, client, respond, refusal)
            return
        _show(client, body, view, push=False)

    def acknowledge_version(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        now = ctx.clock.now()
        with ctx.session() as session:
            result = acknowledge(session, ctx, team_id, user_id, _id(body), now)
        ctx.on_outbox_changed()
        if (body.get("container") or {}).get("type") == "view":
            _refresh_version_modal(body, client, team_id, user_id, result)
        elif isinstance(result, Refused):
            _answer(body, client, respond, result.message)
        else:
            _answer(body, client, respond, *charter_blocks.acked_message(result.version))

    def _refresh_version_modal(
        body: dict, client: WebClient, team_id: str, user_id: str, result: Acked | Refused
    ) -> None:
        if not isinstance(result, Refused):
            with ctx.session() as session:
                found = version_by_id(session, team_id, user_id, result.version.id)
            result = found if isinstance(found, Refused) else result
        if isinstance(result, Refused):
            view = charter_blocks.notice_modal(result.message)
        else:
            membership, record = found
            zone = person_zone(membership.me, ctx.settings)
            view = charter_blocks.version_modal(membership, record, zone)
        update_modal(client, (body.get("container") or {}).get("view_id"), view)

    def view_version(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            found = version_by_id(session, team_id, user_id, _id(body))
        in_modal = (body.get("container") or {}).get("type") == "view"
        if isinstance(found, Refused):
            view = charter_blocks.notice_modal(found.message)
            if not in_modal:
                tell(body, client, respond, found.message)
                return
        else:
            membership, record = found
            view = charter_blocks.version_modal(
                membership, record, person_zone(membership.me, ctx.settings)
            )
        _show(client, body, view, push=in_modal)

    app.action(pair_blocks.ACCEPT_ACTION)(guarded(accept))
    app.action(pair_blocks.DECLINE_ACTION)(guarded(decline))
    app.action(pair_blocks.OPEN_CHARTER_ACTION)(guarded(open_charter))
    app.action(charter_blocks.ACK_PATTERN)(guarded(acknowledge_version))
    app.action(charter_blocks.VIEW_VERSION_PATTERN)(guarded(view_version))

    def open_changes(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = _who(body)
        with ctx.session() as session:
            view = changes_modal(session, team_id, user_id, _id(body))
        if isinstance(view, Refused):
            _answer(body, client, respond, view.message)
            return
        _show(client, body, view, push=False)

    app.action(charter_blocks.CHANGES_ACTION)(guarded(open_changes))
