"""The programme's subcommands: `/tandem join | leave` for anyone, and `/tandem admin import |
match | pairs | cohorts | feedback` for the admin the listener has already let through."""

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.people import find_person
from bot.core.results import Refused, Reply, Result
from bot.programme.blocks.cohorts import feedback_message, overview_message
from bot.programme.blocks.imports import import_modal
from bot.programme.blocks.join import join_modal
from bot.programme.blocks.rounds import round_message
from bot.programme.blocks.watch import at_risk_message
from bot.programme.service.cohorts import (
    cohort_choices,
    feedback_by_cohort,
    find_cohort,
    programme_overview,
)
from bot.programme.service.pool import join_form, leave_pool
from bot.programme.service.rounds import run_round
from bot.programme.service.watch import at_risk_pairs
from storage.models import Cohort, Person


def join(ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str) -> Result:
    """`/tandem join`: the profile modal for matching."""
    form = join_form(session, client, team_id, user_id, ctx.clock.now())
    return form if isinstance(form, Refused) else Reply(modal=join_modal(form))


def leave(ctx: Tandem, session: Session, team_id: str, user_id: str) -> Result:
    """`/tandem leave`: out of the matching pool."""
    person = find_person(session, team_id, user_id)
    return Reply(text=leave_pool(session, person, ctx.clock.now()))


def open_import(session: Session, team_id: str) -> Result:
    """`/tandem admin import`: the modal to paste pairs into."""
    return Reply(modal=import_modal(cohort_choices(session, team_id)))


def match(ctx: Tandem, session: Session, admin: Person, cohort: Cohort | None) -> Result:
    """`/tandem admin match [cohort]`: a matching round, its first page."""
    view = run_round(session, admin, admin.team_id, ctx.clock.now(), cohort)
    return view if isinstance(view, Refused) else Reply(**round_message(view))


def at_risk(ctx: Tandem, session: Session, team_id: str, cohort_name: str) -> Result:
    """`/tandem admin pairs [cohort]`: the pairs at risk, worst first, the first page."""
    cohort = find_cohort(session, team_id, cohort_name)
    if isinstance(cohort, Refused):
        return cohort
    now, cohort_id = ctx.clock.now(), cohort.id if cohort else None
    items = at_risk_pairs(session, team_id, now, cohort_id)
    return Reply(**at_risk_message(items, 0, cohort_id))


def cohorts(ctx: Tandem, session: Session, team_id: str) -> Result:
    """`/tandem admin cohorts`: each cohort's numbers and trends."""
    return Reply(**overview_message(programme_overview(session, team_id, ctx.clock.now())))


def feedback(session: Session, team_id: str) -> Result:
    """`/tandem admin feedback`: programme-only feedback as anonymised themes."""
    return Reply(**feedback_message(feedback_by_cohort(session, team_id)))
