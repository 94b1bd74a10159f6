"""Submissions of the programme's modals: import, join, a new mentor, a cohort."""

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.results import FieldErrors, Refused
from bot.programme.access import require_programme_admin
from bot.programme.blocks.cohorts import COHORT_CALLBACK
from bot.programme.blocks.imports import IMPORT_CALLBACK, report_modal, working_modal
from bot.programme.blocks.join import JOIN_CALLBACK, joined_message
from bot.programme.blocks.watch import NEW_MENTOR_CALLBACK, done_modal
from bot.programme.roster_rules import Unusable, parse_roster
from bot.programme.service.cohorts import CohortDraft, save_cohort
from bot.programme.service.imports import import_roster
from bot.programme.service.pool import ProfileDraft, save_profile
from bot.programme.service.watch import propose_new_mentor
from handlers.safety import guarded
from storage.models import Cohort

log = logging.getLogger(__name__)


def _value(state: dict[str, Any], block_id: str) -> Any:
    element = (state.get(block_id) or {}).get("value") or {}
    if "selected_options" in element:
        return [o.get("value") for o in element.get("selected_options") or []]
    if "selected_option" in element:
        return (element.get("selected_option") or {}).get("value")
    for key in ("selected_user", "selected_date", "value"):
        if key in element:
            return element[key]
    return None


def _who(body: dict[str, Any]) -> tuple[str, str]:
    user = body.get("user") or {}
    return (body.get("team") or {}).get("id") or user.get("team_id", ""), user.get("id", "")


def register(app: App, ctx: Tandem) -> None:
    """Register the programme's modal submissions."""

    def refused_admin(client: WebClient, team_id: str, user_id: str) -> Refused | None:
        with ctx.session() as session:
            admin = require_programme_admin(
                session, client, ctx.settings, team_id, user_id, ctx.clock.now()
            )
        return admin if isinstance(admin, Refused) else None

    def submit_import(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        state = view.get("state", {}).get("values", {})
        text = _value(state, "lines") or ""
        refused = refused_admin(client, team_id, user_id)
        if refused is not None:
            ack(response_action="errors", errors={"lines": refused.message})
            return
        roster = parse_roster(text, header_optional=True)
        if isinstance(roster, Unusable):
            ack(response_action="errors", errors={"lines": roster.message})
            return
        # Looking people up can take longer than Slack waits for an answer: say so, then work.
        ack(response_action="update", view=working_modal())
        now = ctx.clock.now()
        with ctx.session() as session:
            admin = require_programme_admin(session, client, ctx.settings, team_id, user_id, now)
            assert not isinstance(admin, Refused)
            cohort_id = parse_id(_value(state, "cohort"))
            cohort = session.get(Cohort, cohort_id) if cohort_id else None
            if cohort is not None and cohort.team_id != team_id:
                cohort = None
            report = import_roster(session, client, team_id, admin, roster, now, cohort)
            result = report_modal(report)
        ctx.on_outbox_changed()
        try:
            client.views_update(view_id=view["id"], view=result)
        except SlackApiError as error:  # the admin closed the modal: tell them by DM instead
            log.info("import report modal gone (%s)", error.response.get("error"))
            client.chat_postMessage(channel=user_id, text=report.summary())

    def submit_join(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        state = view.get("state", {}).get("values", {})
        draft = ProfileDraft(
            role=_value(state, "role"),
            offers=_value(state, "offers") or [],
            seeks=_value(state, "seeks") or [],
            capacity=_value(state, "capacity"),
            note=_value(state, "note"),
        )
        with ctx.session() as session:
            saved = save_profile(session, client, team_id, user_id, draft, ctx.clock.now())
            role = saved.role if not isinstance(saved, FieldErrors | Refused) else ""
        if isinstance(saved, FieldErrors):
            ack(response_action="errors", errors=saved.errors)
            return
        if isinstance(saved, Refused):
            ack(response_action="errors", errors={"role": saved.message})
            return
        ack(response_action="update", view=done_modal(joined_message(role)))

    def submit_new_mentor(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        state = view.get("state", {}).get("values", {})
        now = ctx.clock.now()
        with ctx.session() as session:
            admin = require_programme_admin(session, client, ctx.settings, team_id, user_id, now)
            result = (
                admin
                if isinstance(admin, Refused)
                else propose_new_mentor(
                    session,
                    client,
                    admin,
                    team_id,
                    parse_id(view.get("private_metadata")),
                    _value(state, "mentor"),
                    now,
                )
            )
            message = result.message if isinstance(result, Refused) else result[0].message
        if isinstance(result, Refused):
            ack(response_action="errors", errors={"mentor": message})
            return
        ack(response_action="update", view=done_modal(f"✅ {message}"))
        ctx.on_outbox_changed()

    def submit_cohort(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id, user_id = _who(body)
        refused = refused_admin(client, team_id, user_id)
        if refused is not None:
            ack(response_action="errors", errors={"name": refused.message})
            return
        state = view.get("state", {}).get("values", {})
        draft = CohortDraft(
            cohort_id=parse_id(view.get("private_metadata")),
            name=_value(state, "name"),
            starts_on=_value(state, "starts_on"),
            ends_on=_value(state, "ends_on"),
        )
        with ctx.session() as session:
            saved = save_cohort(session, team_id, draft, ctx.clock.now())
            name = saved.name if isinstance(saved, Cohort) else ""
        if isinstance(saved, FieldErrors):
            ack(response_action="errors", errors=saved.errors)
            return
        ack(response_action="update", view=done_modal(f"✅ Saved the cohort “{name}”."))

    app.view(IMPORT_CALLBACK)(guarded(submit_import))
    app.view(JOIN_CALLBACK)(guarded(submit_join))
    app.view(NEW_MENTOR_CALLBACK)(guarded(submit_new_mentor))
    app.view(COHORT_CALLBACK)(guarded(submit_cohort))
