"""The `/tandem join` profile modal."""

from typing import Any

from bot.core.kit import context, modal
from bot.programme.service.pool import MAX_CAPACITY, MAX_NOTE, JoinForm
from storage.models import JoinRole

JOIN_CALLBACK = "programme.join"
ROLES = {
    JoinRole.MENTOR: "Mentor someone",
    JoinRole.MENTEE: "Be mentored",
    JoinRole.EITHER: "Either",
}
MAX_TOPIC_OPTIONS = 100  # Slack's most per select


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
