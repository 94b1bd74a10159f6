"""Buttons of the programme: an import's Send and Cancel, matching rounds, the pairs at
risk, cohorts, closing invitations.

Every admin button checks the clicker first (handlers/guard.py) and answers anyone else with
a friendly refusal; a value that names nothing (crafted, or from an old message) gets a kind
"couldn't find it".
"""

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.modal_state import clicked_value
from bot.core.results import Result
from bot.programme.blocks import closing, cohorts, imports, round_modal, rounds, watch
from bot.programme.service import clicks, funnel, round_clicks
from bot.programme.service import watch as watch_service
from handlers.guard import admin_only
from handlers.render import Asked, UseCase, listener


def drop(asked: Asked, session: Session, admin: Any) -> Result:
    """Drop a match from the round, or take it back."""
    return clicks.drop(session, admin, clicked_value(asked.body))


def send(asked: Asked, session: Session, admin: Any) -> Result:
    """Send the round."""
    return clicks.send(asked.ctx, session, asked.client, admin, clicked_value(asked.body))


def open_round(asked: Asked, session: Session, admin: Any) -> Result:
    """Open a stored round in a modal (from Home or the round's message)."""
    return round_clicks.open_round(session, admin, clicked_value(asked.body))


def round_modal_page(asked: Asked, session: Session, admin: Any) -> Result:
    """Another page of the round's modal, or back to it from a swap."""
    return round_clicks.turn_page(session, admin, clicked_value(asked.body))


def swap(asked: Asked, session: Session, admin: Any) -> Result:
    """The next-best mentors for a proposal's mentee."""
    return round_clicks.swap(asked.ctx, session, admin, clicked_value(asked.body))


def choose_mentor(asked: Asked, session: Session, admin: Any) -> Result:
    """Swap to the mentor chosen."""
    return round_clicks.choose(asked.ctx, session, admin, clicked_value(asked.body))


def drop_in_modal(asked: Asked, session: Session, admin: Any) -> Result:
    """Drop a match in the round's modal, or keep it."""
    return round_clicks.drop(session, admin, clicked_value(asked.body))


def send_from_modal(asked: Asked, session: Session, admin: Any) -> Result:
    """Send the round from its modal."""
    value = clicked_value(asked.body)
    return round_clicks.send(asked.ctx, session, asked.client, admin, value)


def discard_round(asked: Asked, session: Session, admin: Any) -> Result:
    """Discard the round."""
    return round_clicks.discard(asked.ctx, session, admin, clicked_value(asked.body))


def send_import(asked: Asked, session: Session, admin: Any) -> Result:
    """Send the proposals an import's preview lists."""
    return clicks.send_import(asked.ctx, session, asked.client, admin, clicked_value(asked.body))


def cancel_import(asked: Asked, session: Session, admin: Any) -> Result:
    """Cancel an import's preview."""
    return clicks.cancel_import(asked.ctx, session, admin, clicked_value(asked.body))


def round_page(asked: Asked, session: Session, admin: Any) -> Result:
    """Another page of the round."""
    return clicks.round_page(session, admin, clicked_value(asked.body))


def pairs_page(asked: Asked, session: Session, admin: Any) -> Result:
    """Another page of the pairs at risk."""
    return clicks.pairs_page(asked.ctx, session, admin, clicked_value(asked.body))


def pair_action(run: clicks.PairAction) -> Any:
    """Nudge, pause or end the pair the button names."""

    def act(asked: Asked, session: Session, admin: Any) -> Result:
        in_list = bool(asked.body.get("response_url"))
        on_home = (asked.body.get("view") or {}).get("type") == "home"
        value = clicked_value(asked.body)
        return clicks.act_on_pair(asked.ctx, session, admin, run, value, in_list, on_home)

    act.__name__ = run.__name__
    return act


def funnel_action(run: clicks.FunnelAction) -> Any:
    """Remind the unanswered, or invite declined people back, from the launch funnel."""

    def act(asked: Asked, session: Session, admin: Any) -> Result:
        return clicks.funnel_action(asked.ctx, admin, run, session)

    act.__name__ = run.__name__
    return act


def new_mentor(asked: Asked, session: Session, admin: Any) -> Result:
    """The modal to propose a new mentor."""
    return clicks.new_mentor_form(session, admin, clicked_value(asked.body))


def new_cohort(asked: Asked, session: Session, admin: Any) -> Result:
    """The modal for a new cohort."""
    return clicks.new_cohort_form(session, admin)


def edit_cohort(asked: Asked, session: Session, admin: Any) -> Result:
    """The modal to change a cohort."""
    return clicks.edit_cohort_form(session, admin, clicked_value(asked.body))


def closing_answer(kind: str) -> UseCase:
    """A member's answer to their cohort's closing invitation."""

    def answer(asked: Asked, session: Session) -> Result:
        value = clicked_value(asked.body)
        ctx, team_id, user_id = asked.ctx, asked.team_id, asked.user_id
        return clicks.closing_answer(ctx, session, team_id, user_id, value, kind)

    answer.__name__ = f"closing_{kind}"
    return answer


def register(app: App, ctx: Tandem) -> None:
    """Register the programme's buttons."""
    for action_id, use in (
        (imports.SEND_ACTION, send_import),
        (imports.CANCEL_ACTION, cancel_import),
        (rounds.DROP_ACTION, drop),
        (rounds.SEND_ACTION, send),
        (f"{rounds.PAGE_ACTION}.prev", round_page),
        (f"{rounds.PAGE_ACTION}.next", round_page),
        (rounds.OPEN_ACTION, open_round),
        (f"{round_modal.PAGE_ACTION}.prev", round_modal_page),
        (f"{round_modal.PAGE_ACTION}.next", round_modal_page),
        (f"{round_modal.PAGE_ACTION}.back", round_modal_page),
        (round_modal.SWAP_ACTION, swap),
        (round_modal.CHOOSE_ACTION, choose_mentor),
        (round_modal.DROP_ACTION, drop_in_modal),
        (round_modal.SEND_ACTION, send_from_modal),
        (round_modal.DISCARD_ACTION, discard_round),
        (watch.NUDGE_ACTION, pair_action(watch_service.nudge)),
        (watch.PAUSE_ACTION, pair_action(watch_service.pause_pair)),
        (watch.END_ACTION, pair_action(watch_service.end_by_admin)),
        (watch.NEW_MENTOR_ACTION, new_mentor),
        (f"{watch.PAGE_ACTION}.prev", pairs_page),
        (f"{watch.PAGE_ACTION}.next", pairs_page),
        (cohorts.NEW_COHORT_ACTION, new_cohort),
        (cohorts.EDIT_COHORT_ACTION, edit_cohort),
        (cohorts.REMIND_UNANSWERED_ACTION, funnel_action(funnel.remind_unanswered)),
        (cohorts.INVITE_DECLINED_ACTION, funnel_action(funnel.invite_declined_back)),
    ):
        app.action(action_id)(listener(ctx, admin_only(use)))
    for action_id, kind in (
        (closing.REVIEW_ACTION, "review"),
        (closing.GRADUATE_ACTION, "graduate"),
        (closing.CONTINUE_ACTION, "continue"),
    ):
        app.action(action_id)(listener(ctx, closing_answer(kind)))
