"""Reading the submitted charter form back: each part checked, each problem a field error.

Lengths are checked here rather than with Slack's `max_length`, so the answer is a field error
that names the limit, and a crafted submission meets the same rules as a typed one.
"""

import re
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.charter.fields import (
    CADENCES,
    CANDOUR,
    FEEDBACK_WEEKS,
    FOCUS_AREA_LENGTH,
    FOCUS_AREAS_MAX,
    FORMATS,
    LONG_TEXT,
    MEDIUM_TEXT,
    MEDIUMS,
    SESSION_MINUTES,
    SHARING,
    SHORT_TEXT,
    CharterDraft,
)
from bot.charter.form import action_id
from bot.core.kit import clip
from bot.core.modal_state import ModalState
from bot.core.results import FieldErrors

TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def _typed(values: ModalState, block_id: str) -> str:
    text = values.text(block_id, action_id(block_id))
    return text.replace("\r\n", "\n").strip()


def _picked(values: ModalState, block_id: str) -> str | None:
    return values.option(block_id, action_id(block_id))


def _too_long(text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return f"Please keep this under {limit} characters (it has {len(text)})."


def _whole_number(text: str, bounds: tuple[int, int], unit: str) -> int | str:
    """The number, or the message saying what is wrong with it."""
    low, high = bounds
    if not re.fullmatch(r"[0-9]{1,6}", text):
        return f"Please enter a whole number of {unit}, between {low} and {high}."
    number = int(text)
    if not low <= number <= high:
        return f"Please choose between {low} and {high} {unit}."
    return number


def _focus_areas(text: str) -> list[str]:
    lines = (BULLET.sub("", line).strip() for line in text.split("\n"))
    unique: dict[str, str] = {}
    for line in lines:
        if line:
            unique.setdefault(line.casefold(), line)
    return list(unique.values())


def read_form(state_values: object) -> CharterDraft | FieldErrors:
    """The submitted charter (`view.state.values`), or an error for each field that needs fixing."""
    values = ModalState(state_values)
    errors: dict[str, str] = {}
    draft = CharterDraft()
    for name, limit in (
        ("mentor_objectives", LONG_TEXT),
        ("mentee_objectives", LONG_TEXT),
        ("mentor_success", LONG_TEXT),
        ("mentee_success", LONG_TEXT),
        ("mentor_constraints", MEDIUM_TEXT),
        ("mentee_constraints", MEDIUM_TEXT),
        ("async_channel", SHORT_TEXT),
        ("topics_in_scope", MEDIUM_TEXT),
        ("topics_out_of_scope", MEDIUM_TEXT),
        ("confidentiality", MEDIUM_TEXT),
    ):
        text = _typed(values, name)
        problem = _too_long(text, limit)
        if problem:
            errors[name] = problem
        setattr(draft, name, text)
    for name in ("mentor_objectives", "mentee_objectives"):
        if not getattr(draft, name) and name not in errors:
            errors[name] = "Please write at least a sentence: what should this mentorship give?"

    for name, choices in (
        ("cadence", CADENCES),
        ("meeting_format", FORMATS),
        ("feedback_candour", CANDOUR),
        ("feedback_medium", MEDIUMS),
        ("celebration_sharing", SHARING),
    ):
        picked = _picked(values, name)
        if picked in choices:
            setattr(draft, name, picked)
        else:
            errors[name] = "Please choose one of the options."
    weekday = _picked(values, "weekday")
    if weekday in {str(i) for i in range(7)}:
        draft.weekday = int(weekday)
    else:
        errors["weekday"] = "Please choose a day."

    meeting_time = values.time("meeting_time", action_id("meeting_time")) or ""
    if TIME.match(meeting_time):
        draft.meeting_time = meeting_time
    else:
        errors["meeting_time"] = "Please pick a time, like 10:00."
    zone = _picked(values, "timezone") or ""
    try:
        ZoneInfo(zone)
        draft.timezone = zone
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a directory
        errors["timezone"] = "Please choose a timezone from the list."

    starts_on = values.date("starts_on", action_id("starts_on"))
    if starts_on:
        try:
            draft.starts_on = date.fromisoformat(str(starts_on))
        except ValueError:
            errors["starts_on"] = "That doesn't look like a date. Pick one from the calendar."

    minutes = _whole_number(_typed(values, "session_minutes"), SESSION_MINUTES, "minutes")
    if isinstance(minutes, str):
        errors["session_minutes"] = minutes
    else:
        draft.session_minutes = minutes
    weeks_text = _typed(values, "feedback_frequency_weeks")
    weeks = _whole_number(weeks_text, FEEDBACK_WEEKS, "weeks") if weeks_text else 4
    if isinstance(weeks, str):
        errors["feedback_frequency_weeks"] = weeks
    else:
        draft.feedback_frequency_weeks = weeks

    areas = _focus_areas(_typed(values, "focus_areas"))
    long_area = next((a for a in areas if len(a) > FOCUS_AREA_LENGTH), None)
    if len(areas) > FOCUS_AREAS_MAX:
        errors["focus_areas"] = (
            f"Please keep to {FOCUS_AREAS_MAX} focus areas at most (you have {len(areas)})."
        )
    elif long_area is not None:
        errors["focus_areas"] = (
            f"Please keep each focus area under {FOCUS_AREA_LENGTH} characters; "
            f"“{clip(long_area, 30)}” has {len(long_area)}."
        )
    draft.focus_areas = areas
    return FieldErrors(errors) if errors else draft
