"""Reading what people entered in the meeting modals (state.values and private_metadata)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.modal_state import ModalState
from bot.core.results import FieldErrors
from bot.meetings.blocks.modals import (
    ACTIONS_BLOCK,
    DATE_BLOCK,
    DISCUSSED_BLOCK,
    FOCUS_BLOCK,
    LESSON_BLOCK,
    PAUSE_BLOCK,
    PRIVATE_BLOCK,
    REMINDER_CHOICES,
    REMINDERS_BLOCK,
    TIME_BLOCK,
)
from bot.meetings.outcomes import Notes
from bot.meetings.recurrence_rules import to_instant

# A crafted date in year 1 or 9999 can leave Python's calendar once moved to UTC.
PLAUSIBLE_YEARS = (2, 9998)


def _text(values: ModalState, block_id: str) -> str:
    # Each input's action_id is its block_id (unique in the view, as Slack requires).
    return values.text(block_id)


def _picked(values: ModalState, block_id: str) -> list[str]:
    return values.options(block_id) or []


def read_notes(state_values: object) -> Notes:
    """The notes fields of a notes or log modal."""
    values = ModalState(state_values)
    return Notes(
        discussed=_text(values, DISCUSSED_BLOCK),
        lesson=_text(values, LESSON_BLOCK),
        next_actions=_text(values, ACTIONS_BLOCK),
        focus_areas=tuple(_picked(values, FOCUS_BLOCK)),
        private=_text(values, PRIVATE_BLOCK),
    )


def read_when(state_values: object, zone: ZoneInfo) -> tuple[datetime, date] | FieldErrors:
    """(the instant, the local date) picked in the date and time inputs, read in `zone`."""
    values = ModalState(state_values)
    try:
        day = date.fromisoformat(values.date(DATE_BLOCK) or "")
    except ValueError:
        return FieldErrors({DATE_BLOCK: "Pick a date."})
    if not PLAUSIBLE_YEARS[0] <= day.year <= PLAUSIBLE_YEARS[1]:
        return FieldErrors({DATE_BLOCK: "Pick a date from the calendar."})
    try:
        at = time.fromisoformat(values.time(TIME_BLOCK) or "")
    except ValueError:
        return FieldErrors({TIME_BLOCK: "Pick a time."})
    return to_instant(datetime.combine(day, at), zone), day


def read_pause_day(state_values: object) -> date | FieldErrors:
    """The day picked in the pause form (whether it is a day to pause until is the pause
    rule's to say)."""
    try:
        day = date.fromisoformat(ModalState(state_values).date(PAUSE_BLOCK) or "")
    except ValueError:
        return FieldErrors({PAUSE_BLOCK: "Pick the day your nudges should come back."})
    if not PLAUSIBLE_YEARS[0] <= day.year <= PLAUSIBLE_YEARS[1]:
        return FieldErrors({PAUSE_BLOCK: "Pick a date from the calendar."})
    return day


def read_offsets(state_values: object) -> list[int]:
    """The reminder offsets ticked in the settings modal (only the ones we offer)."""
    picked = set(_picked(ModalState(state_values), REMINDERS_BLOCK))
    return [m for m in REMINDER_CHOICES if str(m) in picked]
