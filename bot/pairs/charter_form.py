"""The charter modal: the form (new, or prefilled with the current version) and reading it back.

Lengths are checked here rather than with Slack's `max_length`, so the answer is a field error
that names the limit, and a crafted submission meets the same rules as a typed one.
"""

import json
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.outcomes import FieldErrors
from bot.pairs.charter_fields import (
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
    WEEKDAYS,
    CharterDraft,
)
from bot.pairs.lookup import Membership
from bot.views.kit import checked_view, clip, context, header

SAVE_CALLBACK = "charter.save"
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")

# Offered in the timezone menu besides the pair's own zones (Slack allows 100 options).
COMMON_ZONES = (
    "UTC",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Atlantic/Reykjavik",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Zurich",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Jerusalem",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Manila",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def _action(block_id: str) -> str:
    return f"charter.{block_id}"


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": clip(label, 75)}, "value": value}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": clip(label, 2000)},
        "element": {"action_id": _action(block_id), **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _text(
    block_id: str,
    label: str,
    value: str,
    *,
    multiline: bool = True,
    optional: bool = True,
    hint: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline}
    if value:
        element["initial_value"] = value
    return _input(block_id, label, element, optional=optional, hint=hint)


def _select(block_id: str, label: str, choices: dict[str, str], value: str) -> dict[str, Any]:
    options = [_option(key, text) for key, text in choices.items()]
    element: dict[str, Any] = {"type": "static_select", "options": options}
    initial = next((o for o in options if o["value"] == value), None)
    if initial is not None:
        element["initial_option"] = initial
    return _input(block_id, label, element)


def _number(block_id: str, label: str, value: int, *, optional: bool, hint: str) -> dict[str, Any]:
    element = {"type": "number_input", "is_decimal_allowed": False, "initial_value": str(value)}
    return _input(block_id, label, element, optional=optional, hint=hint)


def zone_choices(*zones: str | None) -> list[str]:
    """The timezone menu: the given zones (the pair's own) first, then common ones; at most 100."""
    chosen = [z for z in zones if z] + list(COMMON_ZONES)
    return list(dict.fromkeys(chosen))[:100]


def charter_modal(
    membership: Membership, draft: CharterDraft, zones: list[str], intro: str
) -> dict[str, Any]:
    """The charter form for `membership`'s pair, filled in with `draft`."""
    mentor, mentee = (
        (membership.me, membership.partner)
        if membership.role == "mentor"
        else (membership.partner, membership.me)
    )
    mentor_name = mentor.real_name or mentor.display_name or "the mentor"
    mentee_name = mentee.real_name or mentee.display_name or "the mentee"
    blocks = [
        context(intro),
        header("Why we're here"),
        _text(
            "mentor_objectives",
            f"What {mentor_name} (mentor) wants from this",
            draft.mentor_objectives,
            optional=False,
        ),
        _text(
            "mentee_objectives",
            f"What {mentee_name} (mentee) wants from this",
            draft.mentee_objectives,
            optional=False,
        ),
        _text("success_looks_like", "What success looks like", draft.success_looks_like),
        _text(
            "focus_areas",
            "Focus areas",
            "\n".join(draft.focus_areas),
            hint=f"One topic per line (at most {FOCUS_AREAS_MAX}); we'll rotate through them.",
        ),
        header("How we meet"),
        _select("cadence", "How often", CADENCES, draft.cadence),
        _select("weekday", "Day", {str(i): d for i, d in enumerate(WEEKDAYS)}, str(draft.weekday)),
        _input("meeting_time", "Time", {"type": "timepicker", "initial_time": draft.meeting_time}),
        _select("timezone", "In the timezone of", {z: z for z in zones}, draft.timezone),
        _number(
            "session_minutes",
            "Session length (minutes)",
            draft.session_minutes,
            optional=False,
            hint=f"Between {SESSION_MINUTES[0]} and {SESSION_MINUTES[1]} minutes.",
        ),
        _select("meeting_format", "Format", FORMATS, draft.meeting_format),
        _text(
            "async_channel",
            "Where to reach each other between meetings",
            draft.async_channel,
            multiline=False,
            hint="For example: this group DM, #design-guild, email.",
        ),
        header("How we work together"),
        _select("feedback_candour", "Feedback: how candid", CANDOUR, draft.feedback_candour),
        _number(
            "feedback_frequency_weeks",
            "Feedback: how often (weeks)",
            draft.feedback_frequency_weeks,
            optional=True,
            hint="We'll prompt you both for feedback this often.",
        ),
        _select("feedback_medium", "Feedback: written or spoken", MEDIUMS, draft.feedback_medium),
        _text("topics_in_scope", "Topics in scope", draft.topics_in_scope),
        _text("topics_out_of_scope", "Topics out of scope", draft.topics_out_of_scope),
        _text(
            "confidentiality",
            "What stays between the two of us",
            draft.confidentiality,
        ),
        _select(
            "celebration_sharing", "When we reach a milestone", SHARING, draft.celebration_sharing
        ),
    ]
    view = {
        "type": "modal",
        "callback_id": SAVE_CALLBACK,
        "private_metadata": json.dumps({"pair_id": membership.pair.id}),
        "title": {"type": "plain_text", "text": "Your charter"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }
    return checked_view(view)


def _state(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get(_action(block_id)) or {}


def _typed(values: dict[str, Any], block_id: str) -> str:
    text = _state(values, block_id).get("value") or ""
    return text.replace("\r\n", "\n").strip()


def _picked(values: dict[str, Any], block_id: str) -> str | None:
    return (_state(values, block_id).get("selected_option") or {}).get("value")


def _too_long(text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return f"Please keep this under {limit} characters (it has {len(text)})."


def _whole_number(text: str, bounds: tuple[int, int], unit: str) -> int | str:
    """The number, or the message saying what is wrong with it."""
    low, high = bounds
    if not re.fullmatch(r"\d{1,6}", text):
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


def read_form(values: dict[str, Any]) -> CharterDraft | FieldErrors:
    """The submitted charter (`view.state.values`), or an error for each field that needs fixing."""
    errors: dict[str, str] = {}
    draft = CharterDraft()
    for name, limit in (
        ("mentor_objectives", LONG_TEXT),
        ("mentee_objectives", LONG_TEXT),
        ("success_looks_like", LONG_TEXT),
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

    meeting_time = _state(values, "meeting_time").get("selected_time") or ""
    if TIME.match(meeting_time):
        draft.meeting_time = meeting_time
    else:
        errors["meeting_time"] = "Please pick a time, like 10:00."
    zone = _picked(values, "timezone") or ""
    try:
        ZoneInfo(zone)
        draft.timezone = zone
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = "Please choose a timezone from the list."

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
