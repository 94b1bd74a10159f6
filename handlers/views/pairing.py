"""Charter modals: saving the form, and the pair picker that comes before it for several pairs.

The pair id travels in `private_metadata`, which the person submitting could have crafted:
bot/ checks membership again, and a stranger is answered as if the pair did not exist.
"""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.charter import blocks as charter_blocks
from bot.charter.change_requests import CHANGES_CALLBACK, submit_changes
from bot.charter.form import SAVE_CALLBACK
from bot.charter.service import open_picked, submit_charter
from bot.core.context import Tandem
from bot.core.ids import metadata_id, read_metadata
from bot.core.kit import notice_modal
from bot.core.modal_state import ModalState
from bot.core.picker import picked_pair_id
from bot.core.results import FieldErrors, Refused
from handlers.render import Asked, render
from handlers.safety import guarded


def _who(body: dict[str, Any]) -> tuple[str, str]:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return team, user.get("id", "")


def register(app: App, ctx: Tandem) -> None:
    """Register the charter modals' submissions."""

    def save(ack: Ack, body: dict, client: WebClient) -> None:
        view = body["view"]
        team_id, user_id = _who(body)
        pair_id = metadata_id(view, "pair_id")
        with ctx.session() as session:
            form = ModalState.of_view(view)
            result = submit_charter(ctx, session, team_id, user_id, pair_id, form)
        render(Asked(ctx, body, ack, client), result, notice_modal)

    def ask_for_changes(ack: Ack, body: dict) -> None:
        team_id, user_id = _who(body)
        with ctx.session() as session:
            result = submit_changes(session, team_id, user_id, body["view"], ctx.clock.now())
        if isinstance(result, FieldErrors):
            ack(response_action="errors", errors=result.errors)
            return
        if isinstance(result, Refused):
            ack(response_action="update", view=notice_modal(result.message))
            return
        sent = "Sent. They'll revise the charter; you'll be asked to acknowledge the new version."
        ack(response_action="update", view=notice_modal(sent))
        ctx.on_outbox_changed()

    def pick(ack: Ack, body: dict, client: WebClient) -> None:
        view = body["view"]
        team_id, user_id = _who(body)
        pair_id = picked_pair_id(ModalState.of_view(view))
        then = read_metadata(view).get("next")
        with ctx.session() as session:
            result = open_picked(ctx, session, team_id, user_id, pair_id, then)
        render(Asked(ctx, body, ack, client), result, notice_modal)

    app.view(SAVE_CALLBACK)(guarded(save))
    app.view(charter_blocks.PICK_CALLBACK)(guarded(pick))
    app.view(CHANGES_CALLBACK)(guarded(ask_for_changes))
