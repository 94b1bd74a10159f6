"""The programme's buttons: a matching round's pages, drops and send; the pairs at risk and
what an admin does to one; cohorts; a closing cohort's invitation. Buttons carry ids; each is
looked up again in the admin's own workspace (the listener has checked they are an admin).

Lists sit in private (ephemeral) messages: a click redraws its page in place.
"""

from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core import slack_time
from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.membership import guard
from bot.core.people import person_zone
from bot.core.programme_settings import effective_settings
from bot.core.results import Refused, Reply, Result, in_place
from bot.programme.blocks import closing, cohorts, imports, rounds, watch
from bot.programme.service import imports as import_service
from bot.programme.service import rounds as round_service
from bot.programme.service import watch as watch_service
from bot.reflection.service import opening as forms
from storage.models import Cohort, Person

PairAction = Callable[[Session, Person, str, int | None, datetime], watch_service.Done | Refused]
FunnelAction = Callable[[Session, Person, datetime], str]
NO_COHORT = "I couldn't find that cohort; it may have been renamed."


def _round_page(view: round_service.RoundView | Refused, page: int = 0) -> Result:
    return view if isinstance(view, Refused) else Reply(page=rounds.round_message(view, page))


def drop(session: Session, admin: Person, value: str) -> Result:
    """Drop a proposed match from the round (or take it back)."""
    return _round_page(round_service.toggle_drop(session, admin.team_id, parse_id(value)))


def send(ctx: Tandem, session: Session, client: WebClient, admin: Person, value: str) -> Result:
    """Send the round: every match not dropped is proposed through the consent flow."""
    now = ctx.clock.now()
    view = round_service.send_round(session, client, admin, admin.team_id, parse_id(value), now)
    shown = _round_page(view)
    return Reply(page=shown.page, queued=True) if isinstance(shown, Reply) else shown


def send_import(
    ctx: Tandem, session: Session, client: WebClient, admin: Person, value: str
) -> Result:
    """Send N proposals: the preview's lines proposed (once), the preview becomes the report."""
    sent = import_service.send_preview(session, client, admin, parse_id(value), ctx.clock.now())
    if isinstance(sent, Refused):
        return sent
    shown = imports.sent_message(sent[1])
    return in_place(shown["text"], shown["blocks"], queued=True)


def cancel_import(ctx: Tandem, session: Session, admin: Person, value: str) -> Result:
    """Cancel: the preview can no longer be sent, and says so."""
    cancelled = import_service.cancel_preview(session, admin, parse_id(value), ctx.clock.now())
    if isinstance(cancelled, Refused):
        return cancelled
    return in_place("Import cancelled: nothing was sent.")


def round_page(session: Session, admin: Person, value: str) -> Result:
    """Newer / Older in a matching round."""
    round_id, _, page = value.partition(":")
    view = round_service.round_view(session, admin.team_id, parse_id(round_id))
    return _round_page(view, parse_id(page) or 0)


def pairs_page(ctx: Tandem, session: Session, admin: Person, value: str) -> Result:
    """Another page of the pairs at risk (of one cohort, when the list was of one)."""
    page, _, scope = value.partition(":")
    now, cohort_id = ctx.clock.now(), parse_id(scope)
    items = watch_service.at_risk_pairs(session, admin.team_id, now, cohort_id)
    return Reply(page=watch.at_risk_message(items, parse_id(page) or 0, cohort_id))


def act_on_pair(
    ctx: Tandem,
    session: Session,
    admin: Person,
    run: PairAction,
    value: str,
    in_list: bool,
    on_home: bool,
) -> Result:
    """Nudge, pause or end a pair, recorded; the list the admin clicked in is redrawn saying
    what was done (`in_list`), or their Home is (`on_home`), and they are told."""
    now = ctx.clock.now()
    done = run(session, admin, admin.team_id, parse_id(value), now)
    if isinstance(done, Refused):
        return done
    notice = (
        f"✅ {done.message} Recorded: <@{admin.user_id}>, "
        f"{slack_time.when(done.action.created_at, person_zone(admin, ctx.settings))}."
    )
    if in_list:
        items = watch_service.at_risk_pairs(session, admin.team_id, now)
        return Reply(page=watch.at_risk_message(items, 0, notice=notice), queued=True)
    return Reply(text=notice, home=on_home, queued=True)


def new_mentor_form(session: Session, admin: Person, value: str) -> Result:
    """The modal to propose a new mentor to the pair's mentee."""
    pair_id = parse_id(value)
    pair = watch_service.pair_of_team(session, admin.team_id, pair_id)
    mentee = session.get(Person, pair.mentee_id) if pair else None
    if pair_id is None or mentee is None:
        return Refused(watch_service.NOT_FOUND)
    return Reply(modal=watch.new_mentor_modal(pair_id, mentee.user_id))


def new_cohort_form(session: Session, admin: Person) -> Result:
    """The modal for a new cohort (its settings start as the workspace's)."""
    workspace = effective_settings(session, None, admin.team_id)
    return Reply(modal=cohorts.cohort_modal(None, workspace))


def edit_cohort_form(session: Session, admin: Person, value: str) -> Result:
    """The modal to rename a cohort, move its dates or change its own settings."""
    cohort = session.get(Cohort, parse_id(value) or 0)
    if cohort is None or cohort.team_id != admin.team_id:
        return Refused(NO_COHORT)
    workspace = effective_settings(session, None, admin.team_id)
    return Reply(modal=cohorts.cohort_modal(cohort, workspace))


def closing_answer(
    ctx: Tandem, session: Session, team_id: str, user_id: str, value: str, kind: str
) -> Result:
    """A member's answer to their cohort's closing invitation: the review, graduating (the
    end modal), or carrying on."""
    membership = guard(session, team_id, user_id, parse_id(value))
    if isinstance(membership, Refused):
        return membership
    if kind == "continue":
        return Reply(text=closing.continue_reply(membership.partner))
    partner = f"<@{membership.partner.user_id}>"
    if kind == "review":
        return forms.review_command(session, team_id, user_id, partner, ctx.clock.now())
    return forms.end_form(session, team_id, user_id, partner)


def funnel_action(ctx: Tandem, admin: Person, run: FunnelAction, session: Session) -> Result:
    """A bulk action from the launch funnel, recorded; the admin is told what was done."""
    now = ctx.clock.now()
    message = run(session, admin, now)
    at = slack_time.when(now, person_zone(admin, ctx.settings))
    return Reply(text=f"✅ {message} Recorded: <@{admin.user_id}>, {at}.", queued=True)
