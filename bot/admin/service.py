"""What admins can do, behind one check: are you an admin?"""

import io
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.admin.erase import ErasureReport, erase_person
from bot.admin.export import export_rows, write_csv
from bot.core.config import Settings
from bot.core.people import ensure_person, is_programme_admin
from bot.core.results import Refused

NOT_ADMIN = (
    "Only programme admins can do that. Admins are set in TANDEM_ADMINS, and Slack workspace "
    "admins count too."
)


def require_admin(
    session: Session,
    client: WebClient,
    settings: Settings,
    team_id: str,
    user_id: str,
    now: datetime,
) -> Refused | None:
    """None when `user_id` may administer the programme, else a kind refusal."""
    person = ensure_person(session, client, team_id, user_id, now)
    if isinstance(person, Refused):
        return person
    return None if is_programme_admin(settings, person) else Refused(NOT_ADMIN)


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
