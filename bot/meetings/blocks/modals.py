"""Meeting modals: notes, logging an off-schedule meeting, moving one, reminder settings."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import slack_time
from bot.core.kit import clip, context, date_time_inputs, modal, mrkdwn_escape, plain, section
from bot.core.membership import Membership
from bot.core.picker import pair_picker_block
from bot.meetings.time_rules import offset_phrase

NOTES_VIEW, LOG_VIEW = "meeting.notes", "meeting.log"
MOVE_VIEW, SETTINGS_VIEW = "meeting.move", "meeting.settings"
PAUSE_VIEW, PAUSE_BLOCK = "meeting.pause", "meeting.pause_until"
PAUSE_SUGGESTED = 14  # days ahead the pause form's date starts at
DISCUSSED_BLOCK, LESSON_BLOCK = "meeting.discussed", "meeting.lesson"
ACTIONS_BLOCK, FOCUS_BLOCK = "meeting.next_actions", "meeting.focus"
DATE_BLOCK, TIME_BLOCK, REMINDERS_BLOCK = "meeting.date", "meeting.time", "meeting.reminders"
PRIVATE_BLOCK = "meeting.private"
# The longest notes we keep, per field: the inputs' max_length, and checked again on submit.
NOTE_LIMITS = {DISCUSSED_BLOCK: 3000, LESSON_BLOCK: 1000, ACTIONS_BLOCK: 2000, PRIVATE_BLOCK: 3000}
REMINDER_CHOICES = (10080, 2880, 1440, 180, 60, 15)
PRIVATE = (
    "Only you two can see the shared notes, and each of you keeps your own part. "
    "Your private notes are yours alone: your partner and the programme's admins never see them."
)


def _text_input(block_id: str, label: str, limit: int, initial: str, hint: str) -> dict:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": block_id,
        "multiline": True,
        "max_length": limit,
        "placeholder": plain(hint),
    }
    if initial:
        element["initial_value"] = clip(initial, limit)
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label),
        "element": element,
    }


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(clip(text, 75)), "value": clip(value, 150)}


def _focus_input(areas: list[str], chosen: list[str]) -> dict[str, Any] | None:
    areas = list(dict.fromkeys(a for a in areas if a.strip()))[:100]
    if not areas:
        return None
    options = [_option(area, area) for area in areas]
    kind = "checkboxes" if len(options) <= 10 else "multi_static_select"
    element: dict[str, Any] = {"type": kind, "action_id": FOCUS_BLOCK, "options": options}
    picked = [o for o in options if o["value"] in {clip(c, 150) for c in chosen}]
    if picked:
        element["initial_options"] = picked
    if kind == "multi_static_select":
        element["placeholder"] = plain("Pick focus areas")
    return {
        "type": "input",
        "block_id": FOCUS_BLOCK,
        "optional": True,
        "label": plain("Which focus areas did you cover?"),
        "element": element,
    }


def _notes_blocks(areas: list[str], initial: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = [
        _text_input(
            DISCUSSED_BLOCK,
            "What did you discuss?",
            NOTE_LIMITS[DISCUSSED_BLOCK],
            initial.get("discussed", ""),
            "The main threads",
        ),
        _text_input(
            LESSON_BLOCK,
            "The lesson",
            NOTE_LIMITS[LESSON_BLOCK],
            initial.get("lesson", ""),
            "One thing worth keeping",
        ),
        _text_input(
            ACTIONS_BLOCK,
            "Next actions",
            NOTE_LIMITS[ACTIONS_BLOCK],
            initial.get("next_actions", ""),
            "Who does what before next time",
        ),
    ]
    focus = _focus_input(areas, initial.get("focus_areas", []))
    if focus is not None:
        blocks.append(focus)
    blocks.append(
        _text_input(
            PRIVATE_BLOCK,
            "My private notes (only I see these)",
            NOTE_LIMITS[PRIVATE_BLOCK],
            initial.get("private", ""),
            "Reflections just for you",
        )
    )
    blocks.append(context(PRIVATE))
    return blocks


def _partner_part(name: str, part: dict[str, str]) -> list[dict[str, Any]]:
    lines = [
        f"*{label}:* {mrkdwn_escape(clip(part[key], 900))}"
        for key, label in (
            ("discussed", "Discussed"),
            ("lesson", "Lesson"),
            ("next_actions", "Next actions"),
        )
        if part.get(key)
    ]
    if not lines:
        return []
    return [section(f"*{mrkdwn_escape(clip(name, 80))} wrote:*\n" + "\n".join(lines))]


def notes_modal(
    meeting_id: int,
    starts_at: datetime,
    areas: list[str],
    initial: dict,
    partner: tuple[str, dict[str, str]] | None = None,
    zone: ZoneInfo | None = None,
) -> dict:
    """The notes of one held meeting: the partner's part to read, my part and my private
    notes to write or edit (its time falling back to `zone`, the reader's)."""
    blocks = [section(f"Your meeting {slack_time.when(starts_at, zone)}.")]
    if partner is not None:
        blocks += _partner_part(*partner)
    blocks += _notes_blocks(areas, initial)
    return modal(
        "Meeting notes",
        blocks,
        callback_id=NOTES_VIEW,
        submit="Save",
        metadata={"meeting": meeting_id},
    )


def log_modal(choices: list[Membership], now: datetime, zone: ZoneInfo, areas: list[str]) -> dict:
    """`/tandem log`: a meeting held off-schedule, with its notes."""
    blocks: list[dict[str, Any]] = []
    if len(choices) > 1:
        blocks.append(pair_picker_block(choices))
    blocks += date_time_inputs(
        now.replace(minute=0, second=0, microsecond=0), zone, "When", DATE_BLOCK, TIME_BLOCK
    )
    blocks += _notes_blocks(areas, {})
    metadata = {"pair": choices[0].pair.id} if len(choices) == 1 else {}
    return modal("Log a meeting", blocks, callback_id=LOG_VIEW, submit="Save", metadata=metadata)


def move_modal(
    target: dict[str, Any],
    choices: list[Membership],
    starts_at: datetime | None,
    zone: ZoneInfo,
    now: datetime,
) -> dict:
    """Move one meeting: `target` names it ({"meeting": id}) or the pair's next ({"pair": id})."""
    blocks: list[dict[str, Any]] = []
    if len(choices) > 1:
        blocks.append(pair_picker_block(choices))
    if starts_at is not None:
        blocks.append(section(f"Now planned for {slack_time.when(starts_at, zone)}."))
    initial = starts_at if starts_at is not None and starts_at > now else now
    blocks += date_time_inputs(initial, zone, "New date", DATE_BLOCK, TIME_BLOCK)
    blocks.append(context("Only this meeting moves; the rest of your rhythm stays."))
    return modal("Move a meeting", blocks, callback_id=MOVE_VIEW, submit="Move it", metadata=target)


def settings_modal(pair_id: int, offsets: list[int]) -> dict:
    """When both members are reminded before each meeting."""
    options = [_option(f"{offset_phrase(m)} before", str(m)) for m in REMINDER_CHOICES]
    element: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": REMINDERS_BLOCK,
        "options": options,
    }
    picked = [o for o in options if int(o["value"]) in offsets]
    if picked:
        element["initial_options"] = picked
    blocks = [
        {
            "type": "input",
            "block_id": REMINDERS_BLOCK,
            "optional": True,
            "label": plain("Remind us"),
            "element": element,
        },
        context("This applies to both of you. Untick everything for no reminders."),
    ]
    return modal(
        "Reminders", blocks, callback_id=SETTINGS_VIEW, submit="Save", metadata={"pair": pair_id}
    )


def pause_modal(pair_id: int, partner: str, initial: date, zone: ZoneInfo) -> dict:
    """ "Pause": no nudges for either member until a date, as `/tandem pause until` does."""
    blocks = [
        {
            "type": "input",
            "block_id": PAUSE_BLOCK,
            "label": plain("Pause until"),
            "hint": plain(f"Nudges come back at the start of that day, {zone.key} time."),
            "element": {
                "type": "datepicker",
                "action_id": PAUSE_BLOCK,
                "initial_date": initial.isoformat(),
            },
        },
        context(
            f"Neither you nor {mrkdwn_escape(clip(partner, 80))} will get reminders or nudges "
            "until then; `/tandem resume` brings them back sooner."
        ),
    ]
    return modal(
        "Pause our mentoring",
        blocks,
        callback_id=PAUSE_VIEW,
        submit="Pause",
        metadata={"pair": pair_id},
    )
