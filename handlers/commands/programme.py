"""`/tandem join`, `/tandem leave`, and the programme's admin subcommands.

`/tandem admin import | match [cohort] | pairs [cohort] | cohorts | feedback | settings`;
every admin subcommand answers a non-admin with the same friendly refusal, before reading
anything.
"""

import logging

from slack_sdk.errors import SlackApiError

from bot.admin.blocks import settings_modal
from bot.admin.workspace_settings import current_settings
from bot.core.people import find_person
from bot.core.results import Refused
from bot.programme.access import require_programme_admin
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
from handlers.commands.request import CommandRequest, SubcommandHandler
from storage.models import Cohort

log = logging.getLogger(__name__)

NO_FORM = "Slack didn't let me open the form in time. Please run the command again."
ADMIN_USAGE = (
    "Programme admin: `/tandem admin` (numbers and buttons), `/tandem admin import` (paste "
    "pairs), `/tandem admin match [cohort]` (a matching round), `/tandem admin pairs [cohort]` "
    "(the pairs at risk), `/tandem admin cohorts`, `/tandem admin feedback`, "
    "`/tandem admin settings`."
)


def _open(request: CommandRequest, view: dict) -> None:
    request.ack_now()  # the trigger lives 3 s: ack, then open at once
    try:
        request.client.views_open(trigger_id=request.trigger_id, view=view)
    except SlackApiError as error:
        log.warning("views.open failed for /tandem: %s", error.response.get("error"))
        request.reply(NO_FORM)


def join(request: CommandRequest) -> None:
    """`/tandem join`: the profile modal for matching."""
    ctx = request.ctx
    with ctx.session() as session:
        form = join_form(session, request.client, request.team_id, request.user_id, ctx.clock.now())
    if isinstance(form, Refused):
        request.reply(form.message)
        return
    _open(request, join_modal(form))


def leave(request: CommandRequest) -> None:
    """`/tandem leave`: out of the matching pool."""
    ctx = request.ctx
    with ctx.session() as session:
        person = find_person(session, request.team_id, request.user_id)
        request.reply(leave_pool(session, person, ctx.clock.now()))


def _cohort(request: CommandRequest, name: str) -> Cohort | None | Refused:
    with request.ctx.session() as session:
        cohort = find_cohort(session, request.team_id, name)
        if isinstance(cohort, Cohort):
            session.expunge(cohort)
        return cohort


def admin_subcommand(request: CommandRequest, word: str, rest: str) -> bool:
    """Run `/tandem admin <word> <rest>` if `word` is a programme subcommand; False if not."""
    handler = ADMIN_SUBCOMMANDS.get(word)
    if handler is None:
        return False
    ctx = request.ctx
    with ctx.session() as session:
        admin = require_programme_admin(
            session, request.client, ctx.settings, request.team_id, request.user_id, ctx.clock.now()
        )
    if isinstance(admin, Refused):
        request.reply(admin.message)
        return True
    handler(request, rest)
    return True


def _import(request: CommandRequest, rest: str) -> None:
    with request.ctx.session() as session:
        cohorts = cohort_choices(session, request.team_id)
    _open(request, import_modal(cohorts))


def _match(request: CommandRequest, rest: str) -> None:
    cohort = _cohort(request, rest)
    if isinstance(cohort, Refused):
        request.reply(cohort.message)
        return
    request.ack_now()  # a large pool takes a moment: answer through response_url
    ctx = request.ctx
    with ctx.session() as session:
        admin = find_person(session, request.team_id, request.user_id)
        assert admin is not None  # require_programme_admin just met them
        view = run_round(session, admin, request.team_id, ctx.clock.now(), cohort)
        answer = view if isinstance(view, Refused) else round_message(view)
    if isinstance(answer, Refused):
        request.reply(answer.message)
    else:
        request.reply(answer["text"], answer["blocks"])


def _pairs(request: CommandRequest, rest: str) -> None:
    cohort = _cohort(request, rest)
    if isinstance(cohort, Refused):
        request.reply(cohort.message)
        return
    ctx = request.ctx
    now = ctx.clock.now()
    with ctx.session() as session:
        items = at_risk_pairs(session, request.team_id, now, cohort.id if cohort else None)
        message = at_risk_message(items, 0, now, cohort.id if cohort else None)
    request.reply(message["text"], message["blocks"])


def _cohorts(request: CommandRequest, rest: str) -> None:
    ctx = request.ctx
    with ctx.session() as session:
        message = overview_message(programme_overview(session, request.team_id, ctx.clock.now()))
    request.reply(message["text"], message["blocks"])


def _feedback(request: CommandRequest, rest: str) -> None:
    with request.ctx.session() as session:
        message = feedback_message(feedback_by_cohort(session, request.team_id))
    request.reply(message["text"], message["blocks"])


def _settings(request: CommandRequest, rest: str) -> None:
    with request.ctx.session() as session:
        view = settings_modal(current_settings(session, request.team_id))
    _open(request, view)


ADMIN_SUBCOMMANDS = {
    "import": _import,
    "match": _match,
    "pairs": _pairs,
    "cohorts": _cohorts,
    "cohort": _cohorts,
    "feedback": _feedback,
    "settings": _settings,
}

SUBCOMMANDS: dict[str, SubcommandHandler] = {"join": join, "leave": leave}
