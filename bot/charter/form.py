"""The charter modal: the form for a pair, new or prefilled with the current version.

Read back by bot/charter/form_rules.py; the block id of each input is the part's name.
"""

from typing import Any

from bot.charter.fields import (
    CADENCES,
    CANDOUR,
    FOCUS_AREAS_MAX,
    FORMATS,
    MEDIUMS,
    SESSION_MINUTES,
    SHARING,
    WEEKDAYS,
    CharterDraft,
)
from bot.core.kit import clip, context, header, modal
from bot.core.membership import Membership

SAVE_CALLBACK = "charter.save"
CONSTRAINTS_HINT = "Time, travel, topics to avoid this quarter: what the other should plan around."


def action_id(block_id: str) -> str:
    """The action id of a charter part's input (its block id is the part's name)."""
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
        "element": {"action_id": action_id(block_id), **element},
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


def _initial_date(draft: CharterDraft) -> dict[str, Any]:
    return {"initial_date": draft.starts_on.isoformat()} if draft.starts_on else {}


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
        _text(
            "mentor_success",
            f"What success looks like for {mentor_name} (mentor)",
            draft.mentor_success,
        ),
        _text(
            "mentee_success",
            f"What success looks like for {mentee_name} (mentee)",
            draft.mentee_success,
        ),
        _text(
            "mentor_constraints",
            f"{mentor_name}'s constraints (mentor)",
            draft.mentor_constraints,
            hint=CONSTRAINTS_HINT,
        ),
        _text(
            "mentee_constraints",
            f"{mentee_name}'s constraints (mentee)",
            draft.mentee_constraints,
            hint=CONSTRAINTS_HINT,
        ),
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
        _input(
            "starts_on",
            "First meeting on or after",
            {"type": "datepicker", **_initial_date(draft)},
            optional=True,
            hint="Leave empty to start at the next matching slot. Starting next month? Pick a "
            "day then: the first reminder comes before that meeting, not before.",
        ),
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
    metadata = {"pair_id": membership.pair.id}
    return modal(
        "Your charter", blocks, callback_id=SAVE_CALLBACK, submit="Save", metadata=metadata
    )
