"""Workspace settings admins can change: validated as a whole, saved only when all are valid."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.core.people import ensure_workspace
from bot.core.programme_settings import CADENCES, CHANNEL_ID
from bot.core.results import FieldErrors
from storage.models import Workspace

HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
MAX_TOPICS = 100  # Slack's most options in a select
MAX_TOPIC = 60
MAX_NAMED_ADMINS = 50


@dataclass(frozen=True)
class WorkspaceSettings:
    """What the settings modal edits."""

    celebrations_channel: str | None
    review_interval_months: int
    quiet_hours_start: str
    quiet_hours_end: str
    default_cadence: str
    daily_dm_limit: int
    programme_admins: list[str] = field(default_factory=list)  # Slack user ids
    topics: list[str] = field(default_factory=list)  # what people pick from in /tandem join


def current_settings(session: Session, team_id: str) -> WorkspaceSettings:
    """The workspace's settings (defaults on first sight)."""
    ws = ensure_workspace(session, team_id)
    return WorkspaceSettings(
        celebrations_channel=ws.celebrations_channel,
        review_interval_months=ws.review_interval_months,
        quiet_hours_start=ws.quiet_hours_start,
        quiet_hours_end=ws.quiet_hours_end,
        default_cadence=ws.default_cadence,
        daily_dm_limit=ws.daily_dm_limit,
        programme_admins=list(ws.programme_admins or []),
        topics=list(ws.topics or []),
    )


def parse_topics(text: str | None) -> list[str] | str:
    """The topic list from one-a-line (or comma-separated) text, or what is wrong with it."""
    topics: list[str] = []
    for part in re.split(r"[\n,]", text or ""):
        topic = " ".join(part.split())
        if not topic or topic.lower() in (t.lower() for t in topics):
            continue
        if len(topic) > MAX_TOPIC:
            return f"Keep each topic under {MAX_TOPIC} characters (“{topic[:20]}…” is longer)."
        topics.append(topic)
    if len(topics) > MAX_TOPICS:
        return f"Up to {MAX_TOPICS} topics, please (there are {len(topics)})."
    return topics


def parse_settings(
    raw: dict[str, str | None], admins: list[str] | None = None
) -> WorkspaceSettings | FieldErrors:
    """Check what an admin typed; FieldErrors keyed by the modal's block ids."""
    errors: dict[str, str] = {}
    topics = parse_topics(raw.get("topics"))
    if isinstance(topics, str):
        errors["topics"] = topics
        topics = []
    named = sorted(set(admins or []))
    if len(named) > MAX_NAMED_ADMINS:
        errors["programme_admins"] = f"Name up to {MAX_NAMED_ADMINS} programme admins."

    def whole_number(block: str, low: int, high: int, what: str) -> int:
        text = (raw.get(block) or "").strip()
        if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:
            errors[block] = f"{what} must be a whole number from {low} to {high}."
            return low
        return int(text)

    review = whole_number("review_interval_months", 1, 12, "The review interval (months)")
    limit = whole_number("daily_dm_limit", 1, 20, "The daily DM limit")
    start, end = (raw.get("quiet_hours_start") or ""), (raw.get("quiet_hours_end") or "")
    for block, value in (("quiet_hours_start", start), ("quiet_hours_end", end)):
        if not HH_MM.match(value):
            errors[block] = "Pick a time, like 20:00."
    if not errors and start == end:
        errors["quiet_hours_end"] = "Quiet hours must end at a different time than they start."
    cadence = raw.get("default_cadence") or ""
    if cadence not in CADENCES:
        errors["default_cadence"] = "Choose weekly, every 2 weeks or monthly."
    channel = raw.get("celebrations_channel") or None
    if channel is not None and not CHANNEL_ID.fullmatch(channel):
        errors["celebrations_channel"] = "Choose a channel from the list."
    if errors:
        return FieldErrors(errors)
    return WorkspaceSettings(channel, review, start, end, cadence, limit, named, topics)


def save_settings(
    session: Session, team_id: str, settings: WorkspaceSettings, now: datetime
) -> Workspace:
    """Store the workspace's new settings."""
    ws = ensure_workspace(session, team_id)
    ws.celebrations_channel = settings.celebrations_channel
    ws.review_interval_months = settings.review_interval_months
    ws.quiet_hours_start = settings.quiet_hours_start
    ws.quiet_hours_end = settings.quiet_hours_end
    ws.default_cadence = settings.default_cadence
    ws.daily_dm_limit = settings.daily_dm_limit
    ws.programme_admins = list(settings.programme_admins)  # a new list: JSON is saved whole
    ws.topics = list(settings.topics)
    ws.updated_at = now
    session.add(ws)
    return ws
