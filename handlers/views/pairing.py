"""Charter modals: saving the form, and the pair picker that comes before it for several pairs.

The pair id travels in `private_metadata`, which the person submitting could have crafted:
bot/ checks membership again, and a stranger is answered as if the pair did not exist.
"""

from typing import Any

from slack_bolt import Ack, App

from bot.charter import blocks as charter_blocks
from bot.charter.access import member_of
from bot.charter.form import SAVE_CALLBACK
from bot.charter.form_input import read_form
from bot.charter.service import NOT_LIVE, edit_view, save_charter
from bot.charter.versions import charter_history
from bot.core.context import Tandem
from bot.core.ids import metadata_id, read_metadata
from bot.core.membership import LIVE
from bot.core.modal_state import ModalState
from bot.core.people import person_zone
from bot.core.picker import picked_pair_id
from bot.core.results import FieldErrors, Refused
from handlers.safety import guarded


def _who(body: dict[str, Any]) -> tuple[str, str]:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return team, user.get("id", "")


def register(app: App, ctx: Tandem) -> None:
    """Register the charter modals' submissions."""

    def save(ack: Ack, body: dict) -> None:
        view = body["view"]
        draft = read_form(ModalState.of_view(view))
        if isinstance(draft, FieldErrors):
            ack(response_action="errors", errors=draft.errors)
            return
        team_id, user_id = _who(body)
        pair_id = metadata_id(view, "pair_id")
        with ctx.session() as session:
            result = save_charter(session, ctx, team_id, user_id, pair_id, draft, ctx.clock.now())
        if isinstance(result, FieldErrors):
            ack(response_action="errors", errors=result.errors)
        elif isinstance(result, Refused):
            ack(response_action="update", view=charter_blocks.notice_modal(result.message))
        else:
            view = charter_blocks.saved_modal(
                result.version, result.membership.partner, result.unchanged, ctx.clock.now()
            )
            ack(response_action="update", view=view)
            ctx.on_outbox_changed()

    def pick(ack: Ack, body: dict) -> None:
        view = body["view"]
        team_id, user_id = _who(body)
        pair_id = picked_pair_id(ModalState.of_view(view))
        with ctx.session() as session:
            membership = member_of(session, team_id, user_id, pair_id)
            if isinstance(membership, Refused):
                answer = charter_blocks.notice_modal(membership.message)
            elif read_metadata(view).get("next") == "history":
                zone = person_zone(membership.me, ctx.settings)
                answer = charter_blocks.history_modal(charter_history(session, membership), zone)
            elif membership.pair.status not in LIVE:
                answer = charter_blocks.notice_modal(NOT_LIVE)
            else:
                answer = edit_view(session, ctx, membership)
        ack(response_action="update", view=answer)

    app.view(SAVE_CALLBACK)(guarded(save))
    app.view(charter_blocks.PICK_CALLBACK)(guarded(pick))
