"""The review results carry buttons for what they suggest: Revise the charter (the charter
form), Pause (the pause form), End (the end form, confirmed by its own submit)."""

from typing import Any

from bot.meetings.blocks.messages import PAUSE_OPEN
from bot.meetings.blocks.modals import PAUSE_BLOCK
from bot.reflection.blocks.review import END_ACTION, REVISE_ACTION
from storage.models import Pair, PairStatus
from tests.reflection.helpers import click_modal, command_modal, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, Harness

HAPPY = {
    "reflection.value": "4",
    "reflection.time": "right",
    "reflection.goals": "yes",
    "reflection.decision": "continue",
}
PAUSING = {**HAPPY, "reflection.decision": "pause"}
CONCLUDING = {**HAPPY, "reflection.value": "2", "reflection.decision": "conclude"}


def buttons(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message["blocks"]
        if block.get("block_id") == "reflection.review.next"
        for element in block["elements"]
    ]


def results(tandem: Harness, mentor: dict[str, str], mentee: dict[str, str]) -> dict[str, Any]:
    """Both answer; the results DM the mentor gets."""
    tandem.slack.submit_view(MENTOR, command_modal(tandem, MENTOR, "review"), mentor)
    tandem.slack.submit_view(MENTEE, command_modal(tandem, MENTEE, "review"), mentee)
    wait_dm(tandem, MENTEE, "both answers are in")
    return wait_dm(tandem, MENTOR, "both answers are in")


def status(tandem: Harness, pair_id: int) -> str:
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None
        return pair.status


def test_a_review_on_track_suggests_no_buttons(tandem: Harness) -> None:
    create_active_pair(tandem)
    assert buttons(results(tandem, HAPPY, HAPPY)) == []


def test_revise_pause_and_end_open_their_forms_from_the_results(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    message = results(tandem, PAUSING, CONCLUDING)
    assert buttons(message) == [REVISE_ACTION, PAUSE_OPEN, END_ACTION]

    charter = click_modal(tandem, MENTOR, message, REVISE_ACTION)
    assert charter["callback_id"] == "charter.save"

    pause = click_modal(tandem, MENTOR, message, PAUSE_OPEN)
    assert pause["title"]["text"] == "Pause our mentoring"
    bad = tandem.slack.submit_view(MENTOR, pause, {PAUSE_BLOCK: "2026-03-01"})
    assert "isn't in the future" in bad.json["errors"][PAUSE_BLOCK]
    assert status(tandem, ref.pair_id) == PairStatus.ACTIVE
    tandem.slack.submit_view(MENTOR, pause, {PAUSE_BLOCK: "2026-04-01"})
    assert status(tandem, ref.pair_id) == PairStatus.PAUSED

    end = click_modal(tandem, MENTEE, wait_dm(tandem, MENTEE, "both answers are in"), END_ACTION)
    assert end["callback_id"] == "reflection.end"
    assert status(tandem, ref.pair_id) == PairStatus.PAUSED  # nothing ends until submitted
    tandem.slack.submit_view(MENTEE, end, {"reflection.how": "graduate"})
    assert status(tandem, ref.pair_id) == PairStatus.ENDED
    wait_dm(tandem, MENTOR, "marked your mentorship as graduated")


def test_only_the_pair_can_use_the_results_buttons(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    message = results(tandem, PAUSING, CONCLUDING)
    opened = len(tandem.emulator.calls("views.open"))  # the two review forms
    for action in (REVISE_ACTION, END_ACTION):
        answer = tandem.slack.click_button_in(message, OUTSIDER, action_id=action)
        assert answer.ok
    tandem.emulator.wait_for("response_url", count=2)
    assert len(tandem.emulator.calls("views.open")) == opened
    assert status(tandem, ref.pair_id) == PairStatus.ACTIVE
