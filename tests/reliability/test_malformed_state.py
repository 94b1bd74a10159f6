"""Modal state in shapes Slack never sends is read as missing: field errors, never a crash.

Before, 294 of 500 such payloads raised AttributeError/TypeError in the charter, goal and
reflection form readers: an ERROR traceback each, and a "try again" that failed the same way.
"""

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from handlers.render import SORRY_SAVE
from tests.reliability.flows import create_goal, open_modal
from tests.reliability.observe import errors, report, row_counts
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, Harness

# What a crafted element state can be instead of Slack's {"type": ..., "value": "..."}.
WRONG_SHAPES: list[Any] = [
    {"type": "plain_text_input", "value": 5},
    {"type": "plain_text_input", "value": {"text": "x"}},
    {"type": "static_select", "selected_option": "weekly"},
    {"type": "checkboxes", "selected_options": "yes"},
    {"type": "checkboxes", "selected_options": [1, None, {"value": []}]},
    {"type": "datepicker", "selected_date": 20260301},
    "a string",
]
WRONG_STATES: list[Any] = ["state", [], {"values": []}, {"values": "x"}, {"values": {"a": [1]}}]


def malformed_states(view: dict[str, Any]) -> Iterator[Any]:
    """Every input of `view` in every wrong shape (one at a time), then broken wholes."""
    for block in view["blocks"]:
        element = block.get("element")
        if block.get("type") != "input" or not element:
            continue
        for shape in WRONG_SHAPES:
            yield {"values": {block["block_id"]: {element["action_id"]: shape}}}
        yield {"values": {block["block_id"]: [element["action_id"]]}}
    yield from WRONG_STATES


@pytest.mark.parametrize("form", ["charter", "update", "feedback"])
def test_malformed_modal_state_gets_field_errors_not_exceptions(
    tandem: Harness, caplog: pytest.LogCaptureFixture, form: str
) -> None:
    caplog.set_level(logging.INFO)
    tandem.stop_delivery()
    create_active_pair(tandem)
    if form == "update":
        create_goal(tandem)
    view = open_modal(tandem, MENTEE, form)
    before = row_counts(tandem, skip={"applied_request"})
    answers = []
    for state in malformed_states(view):
        response = tandem.slack.submit_crafted(MENTEE, view, state)
        assert response.status == 200, (state, response.status)
        answers.append(response.json or {})
    assert errors(caplog) == [], [r.getMessage() for r in errors(caplog)]
    assert row_counts(tandem, skip={"applied_request"}) == before
    for answer in answers:
        assert answer.get("response_action") in ("errors", "update"), answer
        assert SORRY_SAVE not in json.dumps(answer)
        if answer["response_action"] == "errors":
            assert all(isinstance(m, str) and m for m in answer["errors"].values())
    report(f"malformed {form} modal", inputs=len(answers), errors_logged=0, written=0)
