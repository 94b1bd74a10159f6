"""What admins can do. Who is an admin is checked once, by the listener, before any of these
runs (bot/programme/access.py says who counts)."""

import io
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.admin.blocks import admin_menu, erase_modal, erased_modal, settings_modal
from bot.admin.erase import ErasureReport, erase_person
from bot.admin.export import export_rows, write_csv
from bot.admin.workspace_settings import current_settings, parse_settings, save_settings
from bot.core.context import Tandem
from bot.core.results import FieldErrors, Refused, Reply, Result, Upload
from bot.reflection.service.health import programme_health_lines

NOT_SENT = "I couldn't send the export file (Slack said `{error}`). Please try again."


def menu(ctx: Tandem, session: Session, team_id: str, unknown: str | None = None) -> Result:
    """`/tandem admin`: the programme's numbers and the admin's actions. `unknown` is what to
    say instead when the admin asked for a subcommand that does not exist."""
    if unknown is not None:
        return Refused(unknown)
    return Reply(**admin_menu(programme_health_lines(session, team_id, ctx.clock.now())))


def open_settings(session: Session, team_id: str) -> Result:
    """The Settings button (and `/tandem admin settings`): the settings modal as the
    workspace has them now."""
    return Reply(modal=settings_modal(current_settings(session, team_id)))


def open_erase() -> Result:
    """The delete-a-person's-data button: its modal."""
    return Reply(modal=erase_modal())


def export_to_admin(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str, say_so: bool
) -> Result:
    """The Export button: the programme CSV, in the admin's DM; `say_so` also says where it
    went (a click in a conversation, where the DM is out of sight)."""
    content, count = export_csv(session, team_id)
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
    except SlackApiError as error:
        return Refused(NOT_SENT.format(error=error.response.get("error")))
    upload = Upload(
        channel=channel,
        filename=f"tandem-export-{ctx.clock.now().date().isoformat()}.csv",
        content=content,
        comment=f"Here is the programme export: {count} pair(s), no private notes.",
        title="Tandem programme export",
        if_refused=NOT_SENT,
    )
    return Reply(
        upload=upload, text=f"Sent you the export ({count} pairs) in a DM." if say_so else None
    )


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
    team_id: str,
    entered: dict[str, str | None],
    admins: list[str] | None = None,
) -> Result:
    """The settings modal: every value checked, saved only when all are valid. `admins` are
    the programme admins the modal names."""
    parsed = parse_settings(entered, admins)
    if isinstance(parsed, FieldErrors):
        return parsed
    save_settings(session, team_id, parsed, ctx.clock.now())
    return Reply()


def erase_form(ctx: Tandem, session: Session, team_id: str, target: str, confirm: str) -> Result:
    """The delete-data modal: the person, and DELETE typed; then what was deleted."""
    result = erase(session, team_id, target, confirm, ctx.clock.now())
    if isinstance(result, Refused):
        block = "confirm" if "DELETE" in result.message else "person"
        return FieldErrors({block: result.message})
    return Reply(modal=erased_modal(result.summary()))
