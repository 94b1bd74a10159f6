"""Charter modals: saving the form, and the pair picker that comes before it for several pairs;
and the catch-up graduates plan after a check-in.

The pair id travels in `private_metadata`, which the person submitting could have crafted:
bot/ checks membership again, and a stranger is answered as if the pair did not exist.
"""

from slack_bolt import App
from sqlmodel import Session

from bot.charter import blocks as charter_blocks
from bot.charter.change_requests import CHANGES_CALLBACK, submit_changes
from bot.charter.form import SAVE_CALLBACK
from bot.charter.service import open_picked, submit_charter
from bot.core.context import Tandem
from bot.core.ids import metadata_id, read_metadata
from bot.core.kit import notice_modal
from bot.core.modal_state import ModalState
from bot.core.picker import picked_pair_id
from bot.core.results import Result
from bot.pairs import keep_in_touch
from bot.pairs.keep_in_touch_blocks import CATCH_UP_CALLBACK
from handlers.render import Asked, listener


def save(asked: Asked, session: Session) -> Result:
    """The charter form, saved as a new version for the partner to acknowledge."""
    view = asked.body["view"]
    pair_id, form = metadata_id(view, "pair_id"), ModalState.of_view(view)
    return submit_charter(asked.ctx, session, asked.team_id, asked.user_id, pair_id, form)


def ask_for_changes(asked: Asked, session: Session) -> Result:
    """ "Ask for changes", sent to the partner who wrote the version."""
    now = asked.ctx.clock.now()
    return submit_changes(session, asked.team_id, asked.user_id, asked.body["view"], now)


def pick(asked: Asked, session: Session) -> Result:
    """The pair picked: on to its charter form (or its history)."""
    view = asked.body["view"]
    pair_id = picked_pair_id(ModalState.of_view(view))
    then = read_metadata(view).get("next")
    return open_picked(asked.ctx, session, asked.team_id, asked.user_id, pair_id, then)


def plan_catch_up(asked: Asked, session: Session) -> Result:
    """The one-off catch-up after graduating, posted where both see it."""
    view = asked.body["view"]
    return keep_in_touch.submit_catch_up(asked.ctx, session, asked.team_id, asked.user_id, view)


def register(app: App, ctx: Tandem) -> None:
    """Register the charter modals' submissions."""
    notice = notice_modal
    app.view(SAVE_CALLBACK)(listener(ctx, save, notice=notice))
    app.view(charter_blocks.PICK_CALLBACK)(listener(ctx, pick, notice=notice))
    app.view(CHANGES_CALLBACK)(listener(ctx, ask_for_changes, notice=notice))
    app.view(CATCH_UP_CALLBACK)(listener(ctx, plan_catch_up, notice=notice))
