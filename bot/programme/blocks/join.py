"""The `/tandem join` profile modal."""

from typing import Any

from bot.core.kit import context, modal, section
from bot.programme.service.pool import MAX_CAPACITY, MAX_NOTE, JoinForm
from storage.models import JoinProfile, JoinRole

JOIN_CALLBACK = "programme.join"
ROLES = {
    JoinRole.MENTOR: "Mentor someone",
    JoinRole.MENTEE: "Be mentored",
    JoinRole.EITHER: "Either",
}
MAX_TOPIC_OPTIONS = 100  # Slack's most per select
# The working style questions, each optional: (block id, label, the two answers' words).
STYLE_QUESTIONS = (
    ("style_channel", "I prefer to talk", {"written": "In writing", "spoken": "Out loud"}),
    ("style_pace", "I like sessions", {"planned": "Planned", "spontaneous": "Spontaneous"}),
    ("style_feedback", "I like feedback", {"direct": "Direct", "gentle": "Gentle"}),
)
STYLE_BLOCKS = tuple(block_id for block_id, _, _ in STYLE_QUESTIONS)
FLEXIBLE = "flexible"


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text[:75]}, "value": value[:150]}


def _topics(block_id: str, label: str, topics: list[str], chosen: list[str]) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": "value",
        "options": [_option(t, t) for t in topics[:MAX_TOPIC_OPTIONS]],
        "placeholder": {"type": "plain_text", "text": "Pick topics"},
    }
    initial = [_option(t, t) for t in chosen if t in topics[:MAX_TOPIC_OPTIONS]]
    if initial:
        element["initial_options"] = initial
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def join_modal(form: JoinForm) -> dict[str, Any]:
    """Role, topics offered and sought, capacity, and a note (prefilled when updating)."""
    profile = form.profile
    role_element: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": "value",
        "options": [_option(text, value) for value, text in ROLES.items()],
    }
    if profile is not None:
        role_element["initial_option"] = _option(ROLES[JoinRole(profile.role)], profile.role)
    capacity: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "max_length": 3,
        "initial_value": str(profile.capacity if profile and profile.capacity else 1),
    }
    note: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": MAX_NOTE,
    }
    if profile is not None and profile.note:
        note["initial_value"] = profile.note
    blocks = [
        {
            "type": "input",
            "block_id": "role",
            "label": {"type": "plain_text", "text": "I'd like to"},
            "element": role_element,
        },
        _topics("offers", "Topics I can help with", form.topics, profile.offers if profile else []),
        _topics("seeks", "Topics I want help with", form.topics, profile.seeks if profile else []),
        {
            "type": "input",
            "block_id": "capacity",
            "optional": True,
            "label": {"type": "plain_text", "text": "As a mentor: how many mentees"},
            "hint": {"type": "plain_text", "text": f"1 to {MAX_CAPACITY}; only asked of mentors."},
            "element": capacity,
        },
        *_hours(profile),
        section("*Working style (optional)*: only breaks ties between equally good matches."),
        *(
            _style(block_id, label, answers, profile)
            for block_id, label, answers in STYLE_QUESTIONS
        ),
        {
            "type": "input",
            "block_id": "note",
            "optional": True,
            "label": {"type": "plain_text", "text": "Anything else (optional)"},
            "hint": {
                "type": "plain_text",
                "text": "Programme admins see this when matching, and so does "
                "the person you are proposed to.",
            },
            "element": note,
        },
        context(
            "Admins run matching rounds: you'll be proposed to someone who shares your topics "
            "and working hours, and you can accept or decline. `/tandem leave` opts out."
        ),
    ]
    submit = "Join" if profile is None else "Save"
    return modal("Join matching", blocks, callback_id=JOIN_CALLBACK, submit=submit)


def joined_message(role: str) -> str:
    """The confirmation after joining."""
    as_what = {"mentor": "as a mentor", "mentee": "as a mentee"}.get(role, "as mentor or mentee")
    return (
        f"You're in the matching pool {as_what}. When an admin runs a matching round you'll get "
        "a proposal to accept or decline. `/tandem join` changes your profile; `/tandem leave` "
        "opts out."
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _hours(profile: JoinProfile | None) -> list[dict[str, Any]]:
    """Start and end of their working day (09:00–17:00 unless they said), and "flexible"."""
    start, end = (profile.work_start_minute, profile.work_end_minute) if profile else (540, 1020)
    flexible: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": "value",
        "options": [_option("I'm flexible on hours", FLEXIBLE)],
    }
    if profile is not None and profile.flexible_hours:
        flexible["initial_options"] = [_option("I'm flexible on hours", FLEXIBLE)]
    return [
        _time("work_start", "My working day starts", start),
        _time("work_end", "and ends (my timezone)", end),
        {
            "type": "input",
            "block_id": "flexible",
            "optional": True,
            "label": {"type": "plain_text", "text": "Hours"},
            "hint": {
                "type": "plain_text",
                "text": "Flexible: matched as if you could meet 07:00–21:00 in your timezone.",
            },
            "element": flexible,
        },
    ]


def _time(block_id: str, label: str, minutes: int) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": {"type": "timepicker", "action_id": "value", "initial_time": _clock(minutes)},
    }


def _style(
    block_id: str, label: str, answers: dict[str, str], profile: JoinProfile | None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": "value",
        "placeholder": {"type": "plain_text", "text": "No preference"},
        "options": [_option(text, value) for value, text in answers.items()],
    }
    said = getattr(profile, block_id, "") if profile is not None else ""
    if said in answers:
        element["initial_option"] = _option(answers[said], said)
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
