"""Who may administer the programme: the admins in TANDEM_ADMINS and Slack workspace admins."""

from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.config import Settings
from bot.core.people import ensure_person, is_programme_admin
from bot.core.results import Refused

NOT_ADMIN = (
    "Only programme admins can do that. Admins are named in `/tandem admin settings` or "
    "TANDEM_ADMINS, and Slack workspace admins count too."
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
    return None if is_programme_admin(session, settings, person) else Refused(NOT_ADMIN)
