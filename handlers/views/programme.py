"""Submissions of the programme's modals: import, join, a new mentor, a cohort."""

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.results import FieldErrors, Reply, Result
from bot.programme.blocks.cohorts import COHORT_CALLBACK
from bot.programme.blocks.imports import IMPORT_CALLBACK, checking_modal
from bot.programme.blocks.join import JOIN_CALLBACK, STYLE_BLOCKS
from bot.programme.blocks.watch import NEW_MENTOR_CALLBACK
from bot.programme.service import submissions
from bot.programme.service.cohorts import CohortDraft
from bot.programme.service.pool import ProfileDraft
from handlers.guard import admin_only
from handlers.render import Asked, listener, render


def _value(state: dict[str, Any], block_id: str) -> Any:
    element = (state.get(block_id) or {}).get("value") or {}
    if "selected_options" in element:
        return [o.get("value") for o in element.get("selected_options") or []]
    if "selected_option" in element:
        return (element.get("selected_option") or {}).get("value")
    for key in (
        "selected_user",
        "selected_date",
        "selected_time",
        "selected_conversation",
        "value",
    ):
        if key in element:
            return element[key]
    return None


def _state(asked: Asked) -> dict[str, Any]:
    return asked.body["view"].get("state", {}).get("values", {})


def _shared_file_ids(state: dict[str, Any]) -> list[str]:
    """The ids of the files picked in the file input: only ids, never a URL from the request."""
    files = ((state.get("file") or {}).get("value") or {}).get("files") or []
    return [str(f["id"]) for f in files if isinstance(f, dict) and f.get("id")]


def submit_import(asked: Asked, session: Session, admin: Any) -> Result:
    """A CSV file or pasted pairs: the modal says the preview comes by DM, then every line
    is checked.

    The file is fetched and read before the answer (a file Tandem can't use is an error on
    the file field); the modal's answer is final (no later views.update races it); the
    preview, with Send and Cancel, is a DM that outlives the modal. Nothing is proposed here."""
    state = _state(asked)
    roster = submissions.roster_from(
        asked.client, _shared_file_ids(state), _value(state, "lines") or ""
    )
    if isinstance(roster, FieldErrors):
        return roster
    # Looking people up can take longer than Slack waits for an answer: say so, then work.
    render(asked, Reply(modal=checking_modal(len(roster.lines) + len(roster.problems))))
    cohort_id = parse_id(_value(state, "cohort"))
    now = asked.ctx.clock.now()
    return submissions.preview_import(session, asked.client, admin, roster, cohort_id, now)


def submit_join(asked: Asked, session: Session) -> Result:
    """The join profile."""
    state = _state(asked)
    draft = ProfileDraft(
        role=_value(state, "role"),
        offers=_value(state, "offers") or [],
        seeks=_value(state, "seeks") or [],
        capacity=_value(state, "capacity"),
        note=_value(state, "note"),
        work_start=_value(state, "work_start"),
        work_end=_value(state, "work_end"),
        flexible=bool(_value(state, "flexible")),
        style=tuple(_value(state, block_id) for block_id in STYLE_BLOCKS),
    )
    ctx, team_id, user_id = asked.ctx, asked.team_id, asked.user_id
    return submissions.join(session, asked.client, team_id, user_id, draft, ctx.clock.now())


def submit_new_mentor(asked: Asked, session: Session, admin: Any) -> Result:
    """A new mentor for the pair's mentee."""
    view = asked.body["view"]
    pair_id, mentor = parse_id(view.get("private_metadata")), _value(_state(asked), "mentor")
    now = asked.ctx.clock.now()
    return submissions.new_mentor(session, asked.client, admin, pair_id, mentor, now)


def submit_cohort(asked: Asked, session: Session, admin: Any) -> Result:
    """A cohort created or changed."""
    state = _state(asked)
    draft = CohortDraft(
        cohort_id=parse_id(asked.body["view"].get("private_metadata")),
        name=_value(state, "name"),
        starts_on=_value(state, "starts_on"),
        ends_on=_value(state, "ends_on"),
        default_cadence=_value(state, "default_cadence"),
        review_interval_months=_value(state, "review_interval_months"),
        celebrations_channel=_value(state, "celebrations_channel"),
        workspace_channel=bool(_value(state, "workspace_channel")),
    )
    return submissions.cohort(session, asked.team_id, draft, asked.ctx.clock.now())


def register(app: App, ctx: Tandem) -> None:
    """Register the programme's modal submissions."""
    app.view(IMPORT_CALLBACK)(listener(ctx, admin_only(submit_import, field="lines")))
    app.view(JOIN_CALLBACK)(listener(ctx, submit_join))
    app.view(NEW_MENTOR_CALLBACK)(listener(ctx, admin_only(submit_new_mentor, field="mentor")))
    app.view(COHORT_CALLBACK)(listener(ctx, admin_only(submit_cohort, field="name")))
