"""What admins can do, each behind one check: are you an admin (bot/programme/access.py)?"""

import io
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.admin.blocks import admin_menu, erase_modal, erased_modal, settings_modal
from bot.admin.erase import ErasureReport, erase_person
from bot.admin.export import export_rows, write_csv
from bot.admin.workspace_settings import current_settings, parse_settings, save_settings
from bot.core.context import Tandem
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.programme.access import require_programme_admin
from bot.reflection.service.health import programme_health_lines


def _refused(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str
) -> Refused | None:
    """None when `user_id` is a programme admin, else the guard's kind refusal."""
    admin = require_programme_admin(
        session, client, ctx.settings, team_id, user_id, ctx.clock.now()
    )
    return admin if isinstance(admin, Refused) else None


def menu(
    ctx: Tandem,
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    unknown: str | None = None,
) -> Result:
    """`/tandem admin`: the programme's numbers and the admin's actions, for admins only.
    `unknown` is what to say instead, to an admin, when they asked for a subcommand that
    does not exist."""
    now = ctx.clock.now()
    refused = _refused(ctx, session, client, team_id, user_id)
    if refused is not None:
        return refused
    if unknown is not None:
        return Refused(unknown)
    return Reply(**admin_menu(programme_health_lines(session, team_id, now)))


def open_settings(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str
) -> Result:
    """The Settings button: the settings modal as the workspace has them now, for admins."""
    refused = _refused(ctx, session, client, team_id, user_id)
    return refused or Reply(modal=settings_modal(current_settings(session, team_id)))


def open_erase(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str
) -> Result:
    """The delete-a-person's-data button: its modal, for admins."""
    refused = _refused(ctx, session, client, team_id, user_id)
    return refused or Reply(modal=erase_modal())


def export_for_admin(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str
) -> tuple[str, int] | Refused:
    """The Export button: the programme CSV and its number of pairs, for admins."""
    refused = _refused(ctx, session, client, team_id, user_id)
    return refused or export_csv(session, team_id)


def export_csv(session: Session, team_id: str) -> tuple[str, int]:
    """The workspace's programme CSV and its number of pairs."""
    buffer = io.StringIO()
    count = write_csv(export_rows(session, team_id), buffer)
    return buffer.getvalue(), count


def erase(
    session: Session, team_id: str, user_id: str, confirm: str, now: datetime
) -> ErasureReport | Refused:
    """Delete a person's data once the admin typed DELETE."""
    if confirm.strip() != "DELETE":
        return Refused("Type DELETE (in capitals) to confirm.")
    return erase_person(session, team_id, user_id, now)


def save_settings_form(
    ctx: Tandem,
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    entered: dict[str, str | None],
    admins: list[str] | None = None,
) -> Result:
    """The settings modal: every value checked, saved only when all are valid and the
    submitter is an admin. `admins` are the programme admins the modal names."""
    parsed = parse_settings(entered, admins)
    if isinstance(parsed, FieldErrors):
        return parsed
    refused = _refused(ctx, session, client, team_id, user_id)
    if refused is not None:
        return FieldErrors({"review_interval_months": refused.message})
    save_settings(session, team_id, parsed, ctx.clock.now())
    return Reply()


def erase_form(
    ctx: Tandem,
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    target: str,
    confirm: str,
) -> Result:
    """The delete-data modal: an admin, the person, and DELETE typed; then what was deleted."""
    now = ctx.clock.now()
    refused = _refused(ctx, session, client, team_id, user_id)
    result = refused or erase(session, team_id, target, confirm, now)
    if isinstance(result, Refused):
        block = "confirm" if "DELETE" in result.message else "person"
        return FieldErrors({block: result.message})
    return Reply(modal=erased_modal(result.summary()))
