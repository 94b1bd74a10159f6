"""Workspaces and people: who someone is, their timezone, and whether they may administer."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.config import Settings
from bot.core.results import Refused
from storage.models import Person, Workspace
from storage.queries.people import find_person, people_of_users
from storage.queries.programme import known_people, slack_admin_ids

PROFILE_TTL = timedelta(hours=24)
STRANGER = "Only members of this workspace can take part in its mentoring programme."


def ensure_workspace(session: Session, team_id: str) -> Workspace:
    """The workspace row for `team_id`, created with programme defaults on first sight."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        try:
            with session.begin_nested():  # a concurrent first request may insert it too
                workspace = Workspace(team_id=team_id)
                session.add(workspace)
                session.flush()
        except IntegrityError:
            workspace = session.get(Workspace, team_id, populate_existing=True)
            if workspace is None:
                raise
    return workspace


def ensure_person(
    session: Session, client: WebClient, team_id: str, user_id: str, now: datetime
) -> Person | Refused:
    """The person for `user_id`, refreshed from users.info when unknown or older than a day.

    Refuses (kindly) for ids Slack does not know, and for members of another workspace (Slack
    Connect, shared channels): they are strangers here and never stored as its people. Bots
    and deactivated users are returned with their flags set; callers decide whether they may
    take part.
    """
    ensure_workspace(session, team_id)
    person = find_person(session, team_id, user_id)
    if person is not None and person.refreshed_at and now - person.refreshed_at < PROFILE_TTL:
        return person
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        if error.response.get("error") in ("user_not_found", "users_not_found"):
            return Refused(f"I couldn't find the user `{user_id}` in this workspace.")
        if person is not None:
            return person  # Slack is unwell; yesterday's profile is good enough
        return Refused(
            "Slack didn't answer in time while I looked that person up. Please try again."
        )
    if not member_of(user, team_id):
        return Refused(STRANGER)
    return remember_profile(session, team_id, user, now, person)


def member_of(user: dict, team_id: str) -> bool:
    """Whether Slack's `user` (users.info, users.lookupByEmail) is a member of `team_id`, not
    someone of another workspace Slack also answers about (Slack Connect, shared channels)."""
    return user.get("team_id") in (None, "", team_id)


def remember_profile(
    session: Session,
    team_id: str,
    user: dict,
    now: datetime,
    person: Person | None = None,
) -> Person:
    """Store what Slack says about a user (a users.info or users.lookupByEmail `user`)."""
    user_id = user["id"]
    if person is None:
        person = find_person(session, team_id, user_id) or _insert_person(session, team_id, user_id)
    profile = user.get("profile") or {}
    person.display_name = (profile.get("display_name") or user.get("name") or "")[:200]
    person.real_name = (profile.get("real_name") or user.get("real_name") or "")[:200]
    person.tz = user.get("tz") or person.tz
    person.is_bot = bool(user.get("is_bot")) or user_id == "USLACKBOT"
    person.deleted = bool(user.get("deleted"))
    person.is_workspace_admin = bool(user.get("is_admin") or user.get("is_owner"))
    person.refreshed_at = now
    person.erased_at = None  # someone whose data was deleted may come back; this is new data
    session.add(person)
    session.flush()
    return person


def _insert_person(session: Session, team_id: str, user_id: str) -> Person:
    """A new person row, or the one a concurrent first request for them inserted meanwhile."""
    try:
        with session.begin_nested():  # a savepoint: losing the race must not undo the caller
            person = Person(team_id=team_id, user_id=user_id)
            session.add(person)
            session.flush()
            return person
    except IntegrityError:
        existing = find_person(session, team_id, user_id)
        if existing is None:
            raise
        return existing


def person_zone(person: Person | None, settings: Settings) -> ZoneInfo:
    """The person's Slack timezone, or the configured fallback (`TZ`) when Slack gave none."""
    for name in ((person.tz if person else None), settings.default_timezone, "UTC"):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    return ZoneInfo("UTC")


def zones_of(
    session: Session, settings: Settings, team_id: str, user_ids: list[str]
) -> dict[str, ZoneInfo]:
    """Each of `user_ids`' own timezone (`person_zone`), read in one statement: for messages
    to several people at once, such as the programme admins' notes."""
    people = people_of_users(session, team_id, user_ids)
    return {user_id: person_zone(people.get(user_id), settings) for user_id in user_ids}


def is_programme_admin(session: Session, settings: Settings, person: Person) -> bool:
    """Whether `person` may run their workspace's programme.

    Admins are the people named in the workspace's settings, Slack's workspace admins and
    owners (as users.info last said), and TANDEM_ADMINS.
    """
    if person.deleted or person.is_bot:
        return False
    if person.user_id in settings.admins or person.is_workspace_admin:
        return True
    return person.user_id in (ensure_workspace(session, person.team_id).programme_admins or [])


def programme_admins(session: Session, settings: Settings, team_id: str) -> list[str]:
    """Who gets the programme's notifications in `team_id` (lapses, cohort endings), sorted.

    The admins named in that workspace's settings and its Slack admins and owners Tandem has
    met. TANDEM_ADMINS is one list for the whole install: with one workspace they are always
    told; under OAuth only in a workspace where Tandem has met them, or where nobody else
    would be told.
    """
    named = set(ensure_workspace(session, team_id).programme_admins or [])
    named |= slack_admin_ids(session, team_id)
    fallback = set(settings.admins)
    if not settings.oauth:
        return sorted(named | fallback)
    named |= known_people(session, team_id, fallback)
    return sorted(named or fallback)
