"""Reading the charter form and comparing versions: pure rules, no Slack and no database."""

from typing import Any

import pytest

from bot.charter.fields import (
    CharterDraft,
    change_summary,
    changed_parts,
    describe,
    draft_from_values,
)
from bot.charter.form_rules import read_form
from bot.charter.zones import zone_choices
from bot.core.results import FieldErrors
from tests.pairs.steps import CHARTER_INPUT

STATE_KEYS = {
    "charter.cadence": "select",
    "charter.weekday": "select",
    "charter.timezone": "select",
    "charter.meeting_format": "select",
    "charter.feedback_candour": "select",
    "charter.feedback_medium": "select",
    "charter.celebration_sharing": "select",
    "charter.meeting_time": "time",
}


def state(**changes: Any) -> dict[str, Any]:
    """`view.state.values` as Slack sends it for CHARTER_INPUT with `changes`."""
    entered = dict(CHARTER_INPUT)
    entered.update({f"charter.{k}": v for k, v in changes.items()})
    values: dict[str, Any] = {}
    for action_id, value in entered.items():
        kind = STATE_KEYS.get(action_id, "text")
        if kind == "select":
            element = {"selected_option": {"value": value} if value is not None else None}
        elif kind == "time":
            element = {"selected_time": value}
        else:
            element = {"value": value}
        values[action_id.removeprefix("charter.")] = {action_id: element}
    return values


def test_a_complete_form_becomes_a_draft() -> None:
    draft = read_form(state())
    assert isinstance(draft, CharterDraft)
    assert draft.cadence == "weekly" and draft.weekday == 1 and draft.meeting_time == "10:30"
    assert draft.session_minutes == 45 and draft.feedback_frequency_weeks == 4
    assert draft.focus_areas == ["system design", "stakeholders", "career"]


def test_focus_areas_are_one_per_line_without_bullets_or_repeats() -> None:
    draft = read_form(state(focus_areas="- Design\n\n• hiring\n1. design \n  Career  "))
    assert draft.focus_areas == ["Design", "hiring", "Career"]


def test_feedback_frequency_defaults_to_four_weeks() -> None:
    assert read_form(state(feedback_frequency_weeks=None)).feedback_frequency_weeks == 4


@pytest.mark.parametrize(
    ("changes", "block", "says"),
    [
        ({"mentor_objectives": "  \n "}, "mentor_objectives", "at least a sentence"),
        ({"mentee_objectives": None}, "mentee_objectives", "at least a sentence"),
        ({"session_minutes": "5"}, "session_minutes", "between 15 and 240"),
        ({"session_minutes": "600"}, "session_minutes", "between 15 and 240"),
        ({"session_minutes": "forty"}, "session_minutes", "whole number of minutes"),
        ({"session_minutes": "45.5"}, "session_minutes", "whole number"),
        ({"meeting_time": "25:00"}, "meeting_time", "pick a time"),
        ({"meeting_time": None}, "meeting_time", "pick a time"),
        ({"timezone": "Mars/Olympus"}, "timezone", "from the list"),
        ({"cadence": "daily"}, "cadence", "one of the options"),
        ({"weekday": "9"}, "weekday", "choose a day"),
        ({"feedback_frequency_weeks": "0"}, "feedback_frequency_weeks", "between 1 and 12"),
        ({"mentor_success": "x" * 2001}, "mentor_success", "under 2000 characters"),
        ({"mentee_success": "x" * 2001}, "mentee_success", "under 2000 characters (it has 2001)"),
        ({"mentor_constraints": "x" * 1001}, "mentor_constraints", "under 1000 characters"),
        ({"mentee_constraints": "x" * 1001}, "mentee_constraints", "under 1000 characters"),
        ({"async_channel": "x" * 201}, "async_channel", "under 200 characters (it has 201)"),
        ({"confidentiality": "x" * 1001}, "confidentiality", "under 1000 characters"),
        ({"focus_areas": "\n".join(f"t{i}" for i in range(13))}, "focus_areas", "12 focus"),
        ({"focus_areas": "ok\n" + "y" * 81}, "focus_areas", "under 80 characters"),
    ],
)
def test_malformed_parts_are_field_errors(changes: dict[str, Any], block: str, says: str) -> None:
    result = read_form(state(**changes))
    assert isinstance(result, FieldErrors)
    assert list(result.errors) == [block]
    assert says in result.errors[block]


def test_every_problem_is_reported_at_once() -> None:
    result = read_form(state(mentor_objectives="", session_minutes="1", meeting_time="9"))
    assert set(result.errors) == {"mentor_objectives", "session_minutes", "meeting_time"}


def test_change_summary_names_the_parts_that_changed() -> None:
    before = read_form(state())
    after = read_form(state(meeting_time="11:00", focus_areas="career"))
    assert changed_parts(before, after) == ["meeting_time", "focus_areas"]
    assert change_summary(before, after) == "Changed: meeting time, focus areas."
    assert change_summary(None, after) == "First version."
    assert change_summary(before, before) == "No changes."


def test_parts_read_as_people_say_them() -> None:
    assert describe("cadence", "biweekly") == "Every 2 weeks"
    assert describe("weekday", 0) == "Mondays"
    assert describe("feedback_frequency_weeks", 1) == "every week"
    assert describe("focus_areas", []) == "none"


def test_the_timezone_menu_starts_with_the_pairs_zones_and_fits_slack() -> None:
    zones = zone_choices("America/Argentina/Ushuaia", "Asia/Tokyo", None, "UTC")
    assert zones[:2] == ["America/Argentina/Ushuaia", "Asia/Tokyo"]
    assert len(zones) == len(set(zones)) <= 100


def test_a_draft_saved_before_each_side_had_its_own_success_reads_as_both() -> None:
    # A new chapter's draft stored under the old form (pair.charter_draft): one shared success.
    old = {"mentor_objectives": "Grow", "success_looks_like": "Both grow", "retired_part": 1}
    draft = draft_from_values(old)
    assert (draft.mentor_success, draft.mentee_success) == ("Both grow", "Both grow")
    assert draft.mentor_objectives == "Grow" and draft.mentor_constraints == ""
    # Once either side has its own words, the shared text is history.
    newer = draft_from_values({**old, "mentee_success": "I lead", "mentor_success": ""})
    assert (newer.mentor_success, newer.mentee_success) == ("", "I lead")
