"""The one guard every admin command and button uses, the programme's and the admin area's
alike (who counts as an admin: bot/core/people.py)."""

from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.config import Settings
from bot.core.people import ensure_person, is_programme_admin
from bot.core.results import Refused
from storage.models import Person

NOT_ADMIN = (
    "Only programme admins can do that. Admins are named in `/tandem admin settings` or "
    "TANDEM_ADMINS, and Slack workspace admins count too."
)


def require_programme_admin(
    session: Session,
    client: WebClient,
    settings: Settings,
    team_id: str,
    user_id: str,
    now: datetime,
) -> Person | Refused:
    """The admin asking, or a kind refusal for everyone else (checked before anything is read)."""
    person = ensure_person(session, client, team_id, user_id, now)
    if isinstance(person, Refused):
        return person
    return person if is_programme_admin(session, settings, person) else Refused(NOT_ADMIN)
