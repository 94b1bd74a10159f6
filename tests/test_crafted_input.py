"""Crafted ids in button values and private_metadata, and the safety net under listeners.

"²" passes str.isdigit() but not int(); 23 digits overflow a 64-bit column, and 2147483648
PostgreSQL's INTEGER ids. Each must get the area's "couldn't find that" answer over HTTP, with
nothing changed.
"""

import json

import pytest

from bot.meetings.access import NOT_FOUND as MEETING_NOT_FOUND
from bot.meetings.blocks.messages import MET
from handlers.render import SORRY_CLICK
from tests.meetings.helpers import weekly_pair
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, Harness

CRAFTED = ["²", "99999999999999999999999", "2147483648", "-1", "1e3", " "]


def private_replies(tandem: Harness) -> list[str]:
    return [c.args.get("text", "") for c in tandem.emulator.calls("response_url")]


@pytest.mark.parametrize("value", CRAFTED)
def test_crafted_ids_in_buttons_are_answered_as_not_found(tandem: Harness, value: str) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    for action_id in ("meeting.ics", "goal.progress", "pair.accept", "reflection.feedback.thanks"):
        response = tandem.slack.click(MENTEE, action_id, value=value)
        assert response.status == 200, (action_id, response.status, response.body)
    replies = tandem.emulator.wait_for("response_url", count=3)
    texts = [c.args["text"] for c in replies]
    assert "couldn't find" in texts[0] and "couldn't find" in texts[1], texts
    assert all("Traceback" not in t and "went wrong" not in t for t in texts), texts
    assert tandem.emulator.files() == []


@pytest.mark.parametrize("pair", ["99999999999999999999999", '"²"', "[[[[1]]]]"])
def test_crafted_private_metadata_gets_a_field_error(tandem: Harness, pair: str) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    assert tandem.slack.command(MENTEE, "log").ok
    tandem.emulator.wait_for("views.open")
    view = dict(tandem.emulator.open_view(MENTEE))
    tandem.slack.close_view(MENTEE, view)
    # A request Slack never made: the driver trusts a view it did not open.
    view.update(id="VCRAFTED", private_metadata='{"pair": ' + pair + "}")
    response = tandem.slack.submit_view(MENTEE, view, {}, check_required=False)
    assert response.status == 200, response.body
    assert response.json["response_action"] == "errors"
    assert "couldn't find" in json.dumps(response.json["errors"])


def test_a_meeting_id_too_big_for_the_database_is_not_found(tandem: Harness) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    response = tandem.slack.click(MENTEE, MET, value="99999999999999999999999")
    assert response.status == 200
    [reply] = tandem.emulator.wait_for("response_url")
    assert reply.args["text"] == MEETING_NOT_FOUND


def test_a_click_that_fails_unexpectedly_is_answered_privately(tandem: Harness) -> None:
    tandem.stop_delivery()
    ref = weekly_pair(tandem)
    tandem.emulator.fail_next("files.getUploadURLExternal", status=200, error="channel_not_found")
    response = tandem.slack.click(MENTEE, "meeting.ics", value=str(ref.pair_id))
    assert response.status == 200
    [reply] = tandem.emulator.wait_for("response_url")
    assert reply.args["text"] == SORRY_CLICK
