"""Opting in to matching (`/tandem join`), changing one's profile, and leaving (`/tandem leave`)."""

import re
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.people import ensure_person, ensure_workspace
from bot.core.results import FieldErrors, Refused
from bot.programme.hours_rules import DEFAULT_HOURS, LONGEST_DAY, STYLE_CHOICES
from storage.models import JoinProfile, JoinRole, Person
from storage.queries.programme import profile_of

MAX_CAPACITY = 10
MAX_NOTE = 500
NO_TOPICS = (
    "Matching isn't open yet: your programme admins haven't listed the topics people can "
    "pick from. Ask them to add some in `/tandem admin settings`."
)


@dataclass(frozen=True)
class JoinForm:
    """What the join modal needs: the workspace's topics and the profile so far, if any."""

    topics: list[str]
    profile: JoinProfile | None


@dataclass(frozen=True)
class ProfileDraft:
    """What the join modal submitted, before it is checked."""

    role: str | None
    offers: list[str]
    seeks: list[str]
    capacity: str | None
    note: str | None
    work_start: str | None = None  # "HH:MM" from the form's time pickers
    work_end: str | None = None
    flexible: bool = False
    style: tuple[str | None, ...] = ()  # (written|spoken, planned|spontaneous, direct|gentle)


def join_form(
    session: Session, client: WebClient, team_id: str, user_id: str, now: datetime
) -> JoinForm | Refused:
    """The join modal's contents, or why matching isn't open."""
    person = ensure_person(session, client, team_id, user_id, now)
    if isinstance(person, Refused):
        return person
    topics = list(ensure_workspace(session, team_id).topics or [])
    if not topics:
        return Refused(NO_TOPICS)
    return JoinForm(topics, profile_of(session, team_id, person.id or 0))


def _check(draft: ProfileDraft, topics: list[str]) -> tuple[JoinRole, int] | FieldErrors:
    errors: dict[str, str] = {}
    try:
        role = JoinRole(draft.role or "")
    except ValueError:
        errors["role"] = "Choose whether you'd mentor, be mentored, or either."
        role = JoinRole.EITHER
    unknown = [t for t in (*draft.offers, *draft.seeks) if t not in topics]
    if unknown:
        errors["offers" if unknown[0] in draft.offers else "seeks"] = (
            "That topic is no longer on the list; pick again."
        )
    if role in (JoinRole.MENTOR, JoinRole.EITHER) and not draft.offers:
        errors["offers"] = "Pick at least one topic you can help with."
    if role in (JoinRole.MENTEE, JoinRole.EITHER) and not draft.seeks:
        errors["seeks"] = "Pick at least one topic you'd like help with."
    capacity = 0
    if role in (JoinRole.MENTOR, JoinRole.EITHER):
        text = (draft.capacity or "").strip()
        if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= MAX_CAPACITY:
            errors["capacity"] = f"How many mentees: a whole number from 1 to {MAX_CAPACITY}."
        else:
            capacity = int(text)
    if len((draft.note or "").strip()) > MAX_NOTE:
        errors["note"] = f"Keep the note under {MAX_NOTE} characters."
    hours = working_hours(draft.work_start, draft.work_end)
    if isinstance(hours, str):
        errors["work_end"] = hours
    return FieldErrors(errors) if errors else (role, capacity)


def _minutes(text: str | None, default: int) -> int | None:
    if not text:
        return default
    found = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", text.strip())
    return int(found[1]) * 60 + int(found[2]) if found else None


def working_hours(start: str | None, end: str | None) -> tuple[int, int] | str:
    """(start, end) in minutes after midnight from the form (09:00–17:00 when left empty),
    or what to fix: the day must start before it ends and last at most 14 hours."""
    first, last = _minutes(start, DEFAULT_HOURS[0]), _minutes(end, DEFAULT_HOURS[1])
    if first is None or last is None:
        return "Pick a time for the start and the end of your working day."
    if last <= first:
        return "Your working day should end after it starts (same day)."
    if last - first > LONGEST_DAY:
        return (
            f"Working days of up to {LONGEST_DAY // 60} hours count for matching; tick "
            "“I'm flexible on hours” if your hours vary."
        )
    return first, last


def save_profile(
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    draft: ProfileDraft,
    now: datetime,
) -> JoinProfile | FieldErrors | Refused:
    """Join the pool (or update one's profile); field errors leave everything as it was."""
    person = ensure_person(session, client, team_id, user_id, now)
    if isinstance(person, Refused):
        return person
    topics = list(ensure_workspace(session, team_id).topics or [])
    checked = _check(draft, topics)
    if isinstance(checked, FieldErrors):
        return checked
    role, capacity = checked
    profile = profile_of(session, team_id, person.id or 0) or JoinProfile(
        team_id=team_id, person_id=person.id, role=role, joined_at=now
    )
    if not profile.in_pool:
        profile.joined_at = now
    profile.role = role
    profile.offers = sorted(set(draft.offers)) if role != JoinRole.MENTEE else []
    profile.seeks = sorted(set(draft.seeks)) if role != JoinRole.MENTOR else []
    profile.capacity = capacity
    profile.note = (draft.note or "").strip()
    profile.note_for_partner = True  # the form says the proposed partner sees it
    hours = working_hours(draft.work_start, draft.work_end)
    profile.work_start_minute, profile.work_end_minute = (
        hours if isinstance(hours, tuple) else DEFAULT_HOURS
    )
    profile.flexible_hours = draft.flexible
    style = [
        said if said in choices else ""
        for choices, said in zip(STYLE_CHOICES, (*draft.style, None, None, None), strict=False)
    ]
    profile.style_channel, profile.style_pace, profile.style_feedback = style
    profile.in_pool = True
    profile.updated_at = now
    session.add(profile)
    session.flush()
    return profile


def leave_pool(session: Session, person: Person | None, now: datetime) -> str:
    """`/tandem leave`: out of the matching pool (pairs already made are not touched)."""
    profile = profile_of(session, person.team_id, person.id or 0) if person else None
    if profile is None or not profile.in_pool:
        return (
            "You're not in the matching pool, so there's nothing to leave. `/tandem join` opts in."
        )
    profile.in_pool = False
    profile.updated_at = now
    session.add(profile)
    return (
        "You've left the matching pool: you won't be in the next matching rounds. Your pairs "
        "carry on as they are (`/tandem end` ends one). `/tandem join` brings you back."
    )
