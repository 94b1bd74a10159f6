"""Block Kit for admins: the admin menu, the settings modal, the delete-data confirmation."""

from typing import Any

from bot.admin.workspace_settings import CADENCES, WorkspaceSettings
from bot.core.kit import (
    actions,
    button,
    checked_message,
    context,
    header,
    modal,
    notice_modal,
    section,
)
from bot.core.modal_state import ModalState

SETTINGS_CALLBACK = "admin.settings"
ERASE_CALLBACK = "admin.erase"


# Every admin capability, as (label, action id): each button does what its subcommand does.
PROGRAMME_BUTTONS = (
    ("Bring pairs in", "admin.open_import"),
    ("Run a matching round", "admin.match"),
    ("Pairs at risk", "admin.pairs"),
    ("Cohorts and funnel", "admin.cohorts"),
    ("Programme feedback", "admin.feedback"),
)


def admin_actions() -> list[dict[str, Any]]:
    """The admin's buttons (in `/tandem admin` and on the Home tab): running the programme,
    then looking after the workspace."""
    return [
        actions(*(button(label, action_id) for label, action_id in PROGRAMME_BUTTONS)),
        actions(
            button("Settings", "admin.open_settings", style="primary"),
            button("Export CSV", "admin.export"),
            button("Delete a person's data", "admin.open_erase", style="danger"),
        ),
    ]


def admin_menu(summary_lines: list[str]) -> dict[str, Any]:
    """The answer to `/tandem admin`: programme numbers and what an admin can do."""
    blocks = [
        header("Programme admin"),
        section("\n".join(summary_lines) or "No pairs yet."),
        *admin_actions(),
        context("Admins see numbers, never a pair's notes, feedback or review answers."),
    ]
    return {"text": "Programme admin", "blocks": checked_message(blocks)}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def _number_input(block_id: str, label: str, value: int, hint: str) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": {
            "type": "plain_text_input",
            "action_id": "value",
            "initial_value": str(value),
            "max_length": 3,
        },
    }


def _admins_input(admins: list[str]) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "multi_users_select", "action_id": "value"}
    if admins:
        element["initial_users"] = admins
    return {
        "type": "input",
        "block_id": "programme_admins",
        "optional": True,
        "label": {"type": "plain_text", "text": "Programme admins"},
        "hint": {
            "type": "plain_text",
            "text": "They run the programme and get its notes (lapses, cohorts ending). "
            "Slack's workspace admins count too.",
        },
        "element": element,
    }


def _topics_input(topics: list[str]) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": True,
        "max_length": 3000,
    }
    if topics:
        element["initial_value"] = "\n".join(topics)
    return {
        "type": "input",
        "block_id": "topics",
        "optional": True,
        "label": {"type": "plain_text", "text": "Topics for matching"},
        "hint": {
            "type": "plain_text",
            "text": "One a line. People pick from these in /tandem join.",
        },
        "element": element,
    }


def settings_modal(current: WorkspaceSettings) -> dict[str, Any]:
    """The workspace settings modal, prefilled."""
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": "value",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if current.celebrations_channel:
        channel["initial_conversation"] = current.celebrations_channel
    cadence_options = [_option(text, value) for value, text in CADENCES.items()]
    blocks = [
        {
            "type": "input",
            "block_id": "celebrations_channel",
            "optional": True,
            "label": {"type": "plain_text", "text": "Celebrations channel"},
            "hint": {
                "type": "plain_text",
                "text": "Where milestones are announced when a pair agrees. Invite @Tandem.",
            },
            "element": channel,
        },
        _number_input(
            "review_interval_months",
            "Review every (months)",
            current.review_interval_months,
            "How often pairs review their mentorship.",
        ),
        {
            "type": "input",
            "block_id": "quiet_hours_start",
            "label": {"type": "plain_text", "text": "Quiet hours start"},
            "hint": {"type": "plain_text", "text": "In each person's own timezone."},
            "element": {
                "type": "timepicker",
                "action_id": "value",
                "initial_time": current.quiet_hours_start,
            },
        },
        {
            "type": "input",
            "block_id": "quiet_hours_end",
            "label": {"type": "plain_text", "text": "Quiet hours end"},
            "element": {
                "type": "timepicker",
                "action_id": "value",
                "initial_time": current.quiet_hours_end,
            },
        },
        {
            "type": "input",
            "block_id": "default_cadence",
            "label": {"type": "plain_text", "text": "Default meeting cadence"},
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": cadence_options,
                "initial_option": _option(
                    CADENCES[current.default_cadence], current.default_cadence
                ),
            },
        },
        _number_input(
            "daily_dm_limit",
            "Most DMs per person per day",
            current.daily_dm_limit,
            "Beyond this, Tandem folds nudges into one digest.",
        ),
        _admins_input(current.programme_admins),
        _topics_input(current.topics),
    ]
    return modal("Programme settings", blocks, callback_id=SETTINGS_CALLBACK, submit="Save")


def erase_modal() -> dict[str, Any]:
    """Choose whose data to delete, with what that means spelled out."""
    blocks = [
        section(
            "This removes everything Tandem holds about one person: their profile, "
            "everything they wrote, the charter and meeting notes of their pairs, and "
            "messages about them. Their open pairs end. Counts stay, anonymous. "
            "*This cannot be undone.*"
        ),
        {
            "type": "input",
            "block_id": "person",
            "label": {"type": "plain_text", "text": "Person"},
            "element": {"type": "users_select", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "confirm",
            "label": {"type": "plain_text", "text": "Type DELETE to confirm"},
            "element": {"type": "plain_text_input", "action_id": "value", "max_length": 10},
        },
    ]
    return modal("Delete a person's data", blocks, callback_id=ERASE_CALLBACK, submit="Delete")


def erased_modal(summary: str) -> dict[str, Any]:
    """What the delete-data modal turns into once the data is gone: what was deleted."""
    return notice_modal(summary, "Data deleted", close="Done")


def settings_value(state: object, block_id: str) -> str | None:
    """The value of one settings input (action_id "value") from a submitted view's state."""
    values = ModalState(state)
    return (
        values.option(block_id, "value")
        or values.conversation(block_id, "value")
        or values.time(block_id, "value")
        or values.user(block_id, "value")
        or values.text(block_id, "value")
        or None
    )
