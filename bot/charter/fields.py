"""The parts of a charter: their choices, their limits, and how to name and compare them."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from bot.core.programme_settings import CADENCES
from storage.models import CharterVersion

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FORMATS = {"video": "Video call", "in_person": "In person", "huddle": "Slack huddle"}
CANDOUR = {"gentle": "Gentle", "balanced": "Balanced", "direct": "Direct, no sugar-coating"}
MEDIUMS = {"written": "Written", "spoken": "Spoken", "both": "Written and spoken"}
SHARING = {
    "ask": "Ask us each time",
    "always": "Always share in the celebrations channel",
    "never": "Keep our wins between us",
}

LONG_TEXT = 2000  # objectives, success
MEDIUM_TEXT = 1000  # constraints, scope, confidentiality
SHORT_TEXT = 200  # async channel
FOCUS_AREAS_MAX = 12
FOCUS_AREA_LENGTH = 80
SESSION_MINUTES = (15, 240)
FEEDBACK_WEEKS = (1, 12)


@dataclass
class CharterDraft:
    """A charter's content as entered, before it becomes a version (field names = columns)."""

    mentor_objectives: str = ""
    mentee_objectives: str = ""
    mentor_success: str = ""
    mentee_success: str = ""
    mentor_constraints: str = ""
    mentee_constraints: str = ""
    cadence: str = "biweekly"
    weekday: int = 0
    meeting_time: str = "10:00"
    timezone: str = "UTC"
    starts_on: date | None = None
    session_minutes: int = 45
    meeting_format: str = "video"
    async_channel: str = ""
    feedback_candour: str = "balanced"
    feedback_frequency_weeks: int = 4
    feedback_medium: str = "written"
    topics_in_scope: str = ""
    topics_out_of_scope: str = ""
    confidentiality: str = ""
    focus_areas: list[str] = field(default_factory=list)
    celebration_sharing: str = "ask"

    def values(self) -> dict[str, Any]:
        """Column name → value, ready for CharterVersion(**...)."""
        return asdict(self)


PART_NAMES = {
    "mentor_objectives": "mentor's objectives",
    "mentee_objectives": "mentee's objectives",
    "mentor_success": "what success looks like for the mentor",
    "mentee_success": "what success looks like for the mentee",
    "mentor_constraints": "mentor's constraints",
    "mentee_constraints": "mentee's constraints",
    "cadence": "cadence",
    "weekday": "meeting day",
    "meeting_time": "meeting time",
    "timezone": "timezone",
    "starts_on": "start date",
    "session_minutes": "session length",
    "meeting_format": "format",
    "async_channel": "async channel",
    "feedback_candour": "feedback candour",
    "feedback_frequency_weeks": "feedback frequency",
    "feedback_medium": "feedback medium",
    "topics_in_scope": "topics in scope",
    "topics_out_of_scope": "topics out of scope",
    "confidentiality": "confidentiality",
    "focus_areas": "focus areas",
    "celebration_sharing": "celebration sharing",
}


# The one shared "what success looks like" of charters written before each side had its own
# (migration 0020): such a version or draft reads as that text on both sides.
LEGACY_SUCCESS = "success_looks_like"


def draft_from_values(values: Mapping[str, Any]) -> CharterDraft:
    """A draft from stored values (a version's columns, a new chapter's saved draft), whatever
    their age: parts unknown here are left out, and a shared success with neither side's
    written is read as both sides'."""
    draft = CharterDraft(**{name: values[name] for name in PART_NAMES if name in values})
    shared = values.get(LEGACY_SUCCESS) or ""
    if shared and not draft.mentor_success and not draft.mentee_success:
        draft.mentor_success = draft.mentee_success = shared
    return draft


def draft_of(version: CharterVersion) -> CharterDraft:
    """The content of a saved version, as a draft (to prefill the form or compare)."""
    names = (*PART_NAMES, LEGACY_SUCCESS)
    return draft_from_values({name: getattr(version, name) for name in names})


def changed_parts(before: CharterDraft, after: CharterDraft) -> list[str]:
    """Column names whose value differs, in the form's order."""
    old, new = before.values(), after.values()
    return [name for name in PART_NAMES if old[name] != new[name]]


def change_summary(before: CharterDraft | None, after: CharterDraft) -> str:
    """One line saying which parts changed, stored with the version."""
    if before is None:
        return "First version."
    names = [PART_NAMES[name] for name in changed_parts(before, after)]
    return "Changed: " + ", ".join(names) + "." if names else "No changes."


def describe(name: str, value: Any) -> str:
    """A part's value as people read it ("Every 2 weeks", "45 minutes", "Mondays")."""
    if name == "cadence":
        return CADENCES.get(value, value)
    if name == "weekday":
        return WEEKDAYS[value] + "s" if 0 <= value < 7 else str(value)
    if name == "session_minutes":
        return f"{value} minutes"
    if name == "meeting_format":
        return FORMATS.get(value, value)
    if name == "feedback_candour":
        return CANDOUR.get(value, value)
    if name == "feedback_frequency_weeks":
        return "every week" if value == 1 else f"every {value} weeks"
    if name == "feedback_medium":
        return MEDIUMS.get(value, value)
    if name == "celebration_sharing":
        return SHARING.get(value, value)
    if name == "starts_on":
        return f"{value:%A} {value.day} {value:%B %Y}" if value else "the next matching slot"
    if name == "focus_areas":
        return ", ".join(value) if value else "none"
    return value if value not in ("", None) else "(not set)"


def rhythm(version: CharterVersion | CharterDraft) -> str:
    """The meeting rhythm in one line: "Every 2 weeks on Mondays at 10:00 (Europe/Berlin), ..."."""
    return (
        f"{describe('cadence', version.cadence)} on {describe('weekday', version.weekday)} "
        f"at {version.meeting_time} ({version.timezone}), "
        f"{describe('session_minutes', version.session_minutes)}, "
        f"{describe('meeting_format', version.meeting_format).lower()}"
    )
