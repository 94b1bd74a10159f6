"""The rules of the goal modals, without Slack or a database."""

from datetime import date

import pytest

from bot.core.results import FieldErrors
from bot.goals import form_rules
from bot.goals.blocks.messages import (
    goal_message,
    parse_tick_value,
    progress_bar,
    update_message,
    user_text,
)
from storage.models import Goal, GoalUpdate, Milestone, Person

TODAY = date(2026, 3, 2)


def state(**values: object) -> dict:
    """view.state.values for {block_id: value}; dates and options by their own keys."""
    result: dict = {}
    for block_id, value in values.items():
        block_id = block_id.replace("__", ".")
        if isinstance(value, date):
            entry = {"type": "datepicker", "selected_date": value.isoformat()}
        elif isinstance(value, list):
            entry = {"type": "checkboxes", "selected_options": [{"value": v} for v in value]}
        elif block_id in (form_rules.OWNER, form_rules.UPDATE_GOAL):
            entry = {"type": "static_select", "selected_option": {"value": value}}
        else:
            entry = {"type": "plain_text_input", "value": value}
        result[block_id] = {block_id: entry}
    return result


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0", 0),
        ("100", 100),
        (" 42 ", 42),
        ("42%", 42),
        ("101", None),
        ("-1", None),
        ("4.5", None),
        ("", None),
    ],
)
def test_percent_is_a_whole_number_from_0_to_100(typed: str, expected: int | None) -> None:
    assert form_rules.parse_percent(typed) == expected


def test_a_goal_needs_a_title_and_an_owner() -> None:
    errors = form_rules.parse_goal_form(state(goal__title="   "), TODAY)
    assert isinstance(errors, FieldErrors)
    assert set(errors.errors) == {form_rules.TITLE, form_rules.OWNER}


def test_blank_milestone_rows_are_skipped_and_order_is_kept() -> None:
    values = state(
        goal__title="Goal",
        goal__owner="me",
        **{"goal__ms__1": "Second row", "goal__ms__4": "Fifth row"},
    )
    draft = form_rules.parse_goal_form(values, TODAY)
    assert [m.title for m in draft.milestones] == ["Second row", "Fifth row"]


def test_dates_too_far_ahead_are_refused() -> None:
    values = state(goal__title="Goal", goal__owner="me", goal__target=date(2031, 6, 1))
    errors = form_rules.parse_goal_form(values, TODAY)
    assert "five years" in errors.errors[form_rules.TARGET]


def test_untouched_milestone_checkboxes_mean_no_change() -> None:
    values = state(upd__goal="7", upd__percent="10", upd__happened="x")
    draft = form_rules.parse_update_form(values, 7)
    assert draft.checked_milestone_ids is None
    values = state(upd__goal="7", upd__percent="10", upd__happened="x", **{"upd__ms__7": []})
    assert form_rules.parse_update_form(values, 7).checked_milestone_ids == frozenset()


def test_experiment_fields_are_dropped_when_not_an_experiment() -> None:
    values = state(upd__percent="10", upd__happened="x", upd__hypothesis="left over")
    assert form_rules.parse_update_form(values, 3).hypothesis == ""


def test_escaped_text_is_clipped_without_breaking_an_escape() -> None:
    assert user_text("a&b", 10) == "a&amp;b"
    assert user_text("&&&", 8) == "&amp;…"
    assert len(user_text("<" * 2000, 2000)) <= 2000


def test_tick_values_and_bars() -> None:
    assert parse_tick_value("12:34") == (12, 34)
    assert parse_tick_value("12") is None and parse_tick_value("x:1") is None
    assert progress_bar(0) == "▱" * 10 + " 0%"
    assert progress_bar(45) == "▰" * 4 + "▱" * 6 + " 45%"
    assert progress_bar(99).count("▰") == 9
    assert progress_bar(100) == "▰" * 10 + " 100%"


def test_longest_possible_goal_and_update_fit_in_a_message() -> None:
    owner = Person(id=1, team_id="T", user_id="U1", real_name="N" * 200)
    goal = Goal(
        id=1,
        team_id="T",
        pair_id=1,
        owner_id=1,
        created_by_id=1,
        title="&" * form_rules.TITLE_MAX,
        why="<" * form_rules.WHY_MAX,
        target_date=date(2026, 6, 30),
        status_reason="r" * form_rules.REASON_MAX,
    )
    milestones = [
        Milestone(id=i, team_id="T", goal_id=1, position=i, title=">" * 150, due_date=TODAY)
        for i in range(form_rules.MAX_MILESTONES)
    ]
    goal_message(goal, milestones, owner)  # raises BlockKitLimitError if Slack would refuse
    update = GoalUpdate(
        goal_id=1,
        team_id="T",
        author_id=1,
        percent=50,
        happened="&" * form_rules.HAPPENED_MAX,
        next_steps="<" * form_rules.NOTE_MAX,
        blockers=">" * form_rules.NOTE_MAX,
        is_experiment=True,
        hypothesis="&" * form_rules.NOTE_MAX,
        tried="&" * form_rules.NOTE_MAX,
        result="&" * form_rules.NOTE_MAX,
    )
    update_message(goal, update, owner, 10, milestones)
