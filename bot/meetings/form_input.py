"""Reading what people entered in the meeting modals (state.values and private_metadata)."""

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.results import FieldErrors
from bot.meetings.blocks.modals import (
    ACTIONS_BLOCK,
    DATE_BLOCK,
    DISCUSSED_BLOCK,
    FOCUS_BLOCK,
    LESSON_BLOCK,
    REMINDER_CHOICES,
    REMINDERS_BLOCK,
    TIME_BLOCK,
)
from bot.meetings.outcomes import Notes
from bot.meetings.recurrence import to_instant


def _state(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    # Each input's action_id is its block_id (unique in the view, as Slack requires).
    return (values.get(block_id) or {}).get(block_id) or {}


def _text(values: dict[str, Any], block_id: str) -> str:
    return str(_state(values, block_id).get("value") or "")


def _picked(values: dict[str, Any], block_id: str) -> list[str]:
    return [str(o.get("value", "")) for o in _state(values, block_id).get("selected_options") or []]


def read_notes(values: dict[str, Any]) -> Notes:
    """The notes fields of a notes or log modal."""
    return Notes(
        discussed=_text(values, DISCUSSED_BLOCK),
        lesson=_text(values, LESSON_BLOCK),
        next_actions=_text(values, ACTIONS_BLOCK),
        focus_areas=tuple(_picked(values, FOCUS_BLOCK)),
    )


def read_when(values: dict[str, Any], zone: ZoneInfo) -> tuple[datetime, date] | FieldErrors:
    """(the instant, the local date) picked in the date and time inputs, read in `zone`."""
    try:
        day = date.fromisoformat(str(_state(values, DATE_BLOCK).get("selected_date") or ""))
    except ValueError:
        return FieldErrors({DATE_BLOCK: "Pick a date."})
    try:
        at = time.fromisoformat(str(_state(values, TIME_BLOCK).get("selected_time") or ""))
    except ValueError:
        return FieldErrors({TIME_BLOCK: "Pick a time."})
    return to_instant(datetime.combine(day, at), zone), day


def read_offsets(values: dict[str, Any]) -> list[int]:
    """The reminder offsets ticked in the settings modal (only the ones we offer)."""
    picked = {value for value in _picked(values, REMINDERS_BLOCK) if value.isdigit()}
    return [m for m in REMINDER_CHOICES if str(m) in picked]
