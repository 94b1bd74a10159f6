"""Buttons of pairing and the charter: Accept/Decline, Write our charter, Acknowledge, View.

Every button carries an id only; who clicked and what state the pair is in now are checked
again in bot/. Someone who is not in the pair gets the same answer as for an id that does not
exist, privately.
"""

from dataclasses import replace

from slack_bolt import App
from sqlmodel import Session

from bot.charter import blocks as charter_blocks
from bot.charter.change_requests import changes_modal
from bot.charter.service import (
    acknowledge_click,
    acknowledge_in_modal,
    open_charter_of,
    open_version,
)
from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.modal_state import clicked_value
from bot.core.results import Reply, Result
from bot.pairs import blocks as pair_blocks
from bot.pairs import keep_in_touch, keep_in_touch_blocks
from bot.pairs.service import accept_pair, decline_pair
from handlers.render import Asked, listener


def _id(asked: Asked) -> int | None:
    return parse_id(clicked_value(asked.body))


def _in_modal(asked: Asked) -> bool:
    return (asked.body.get("container") or {}).get("type") == "view"


def accept(asked: Asked, session: Session) -> Result:
    """Accept a proposed pair (it commits before the group DM is opened: see accept_pair)."""
    return accept_pair(asked.ctx, asked.client, asked.team_id, asked.user_id, _id(asked))


def decline(asked: Asked, session: Session) -> Result:
    """Decline a proposed pair."""
    now = asked.ctx.clock.now()
    return decline_pair(session, asked.team_id, asked.user_id, _id(asked), now)


def open_charter(asked: Asked, session: Session) -> Result:
    """ "Write our charter": the charter form."""
    return open_charter_of(asked.ctx, session, asked.team_id, asked.user_id, _id(asked))


def acknowledge_version(asked: Asked, session: Session) -> Result:
    """Acknowledge a charter version, from its message or from its modal."""
    ctx, team_id, user_id = asked.ctx, asked.team_id, asked.user_id
    if _in_modal(asked):
        return acknowledge_in_modal(ctx, session, team_id, user_id, _id(asked))
    return acknowledge_click(ctx, session, team_id, user_id, _id(asked))


def view_version(asked: Asked, session: Session) -> Result:
    """A charter version: opened, or pushed onto the history modal the click came from."""
    ctx, team_id, user_id = asked.ctx, asked.team_id, asked.user_id
    return open_version(ctx, session, team_id, user_id, _id(asked), stacked=_in_modal(asked))


def open_changes(asked: Asked, session: Session) -> Result:
    """ "Ask for changes": the modal for what the partner would like different."""
    return changes_modal(session, asked.team_id, asked.user_id, _id(asked))


def _choose(asked: Asked, session: Session, keep: bool) -> Result:
    now = asked.ctx.clock.now()
    result = keep_in_touch.choose(session, asked.team_id, asked.user_id, _id(asked), keep, now)
    if _in_modal(asked) and isinstance(result, Reply) and result.text:
        # Clicked in the "Mentorship ended" modal: the answer is stacked onto it.
        return replace(result, text=None, push=notice_modal(result.text))
    return result


def keep(asked: Asked, session: Session) -> Result:
    """ "Keep in touch" after graduating (graduation message or modal, or Home)."""
    return _choose(asked, session, True)


def stop_keeping(asked: Asked, session: Session) -> Result:
    """ "Stop the check-ins": this member no longer wants them."""
    return _choose(asked, session, False)


def catch_up(asked: Asked, session: Session) -> Result:
    """ "Plan a catch-up" in a check-in: the one-off catch-up form."""
    return keep_in_touch.catch_up_form(asked.ctx, session, asked.team_id, asked.user_id, _id(asked))


def register(app: App, ctx: Tandem) -> None:
    """Register the pairing and charter buttons."""
    app.action(pair_blocks.ACCEPT_ACTION)(listener(ctx, accept))
    app.action(pair_blocks.DECLINE_ACTION)(listener(ctx, decline))
    app.action(charter_blocks.OPEN_CHARTER_ACTION)(listener(ctx, open_charter, by_dm=True))
    app.action(charter_blocks.ACK_PATTERN)(listener(ctx, acknowledge_version))
    app.action(charter_blocks.VIEW_VERSION_PATTERN)(listener(ctx, view_version, by_dm=True))
    app.action(charter_blocks.CHANGES_ACTION)(listener(ctx, open_changes))
    app.action(pair_blocks.KEEP_IN_TOUCH_ACTION)(listener(ctx, keep))
    app.action(pair_blocks.STOP_KEEPING_IN_TOUCH_ACTION)(listener(ctx, stop_keeping))
    app.action(keep_in_touch_blocks.CATCH_UP_ACTION)(listener(ctx, catch_up))
