"""Who runs the programme of a workspace: the one guard every admin command and button uses.

A workspace's programme admins are the people named in its settings, plus Slack's own
workspace admins and owners (as users.info last described them), plus TANDEM_ADMINS. Under
OAuth each workspace has its own admins: TANDEM_ADMINS (one list for the whole install) only
counts in a workspace where that person is known, or where nobody else would be told.
"""

from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.config import Settings
from bot.outcomes import Refused
from bot.people import ensure_person, ensure_workspace
from storage.models import Person
from storage.queries.programme import known_people, slack_admin_ids

NOT_ADMIN = (
    "That's for programme admins, so I can't do it for you. Admins are named in "
    "`/tandem admin settings` (and Slack's workspace admins count too). If you think you "
    "should be one, ask whoever runs your mentoring programme."
)


def is_programme_admin(session: Session, settings: Settings, person: Person) -> bool:
    """Whether `person` may run their workspace's programme."""
    if person.deleted or person.is_bot:
        return False
    if person.user_id in settings.admins or person.is_workspace_admin:
        return True
    workspace = ensure_workspace(session, person.team_id)
    return person.user_id in (workspace.programme_admins or [])


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


def programme_admins(session: Session, settings: Settings, team_id: str) -> list[str]:
    """Who gets the programme's notifications in `team_id` (lapses, cohort endings), sorted."""
    workspace = ensure_workspace(session, team_id)
    named = set(workspace.programme_admins or []) | slack_admin_ids(session, team_id)
    fallback = set(settings.admins)
    if settings.oauth:
        known = known_people(session, team_id, fallback)
        named |= known
        if not named:
            named = fallback
    else:
        named |= fallback
    return sorted(named)
