""" "Pause" on the lapse nudge: a form with a date picker that pauses the pair as
`/tandem pause until <date>` does, with the same refusals as field errors."""

from typing import Any

from bot.meetings import keys
from bot.meetings.blocks.messages import PAUSE_OPEN
from bot.meetings.blocks.modals import PAUSE_BLOCK
from storage.models import OutboxStatus, Pair, PairStatus
from tests.meetings.helpers import queued, utc, weekly_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, Harness

NUDGED = utc(2026, 3, 24, 14)  # the lapse nudge, sent once New York is awake


def lapse_nudge(tandem: Harness) -> dict[str, Any]:
    tandem.run_due(utc(2026, 3, 24, 9, 46))
    tandem.run_due(NUDGED)
    [nudge] = queued(tandem, keys.LAPSE)
    assert nudge.status == OutboxStatus.SENT and nudge.sent_ts
    return tandem.emulator.message(nudge.sent_channel or "", nudge.sent_ts)


def pair_row(tandem: Harness, pair_id: int) -> Pair:
    with tandem.session() as session:
        found = session.get(Pair, pair_id)
        assert found is not None
        return found


def test_pause_on_the_lapse_nudge_pauses_until_the_picked_day(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = lapse_nudge(tandem)
    assert "/tandem pause" not in message["text"]  # a button, not a command to copy
    tandem.slack.click_button_in(message, MENTEE, action_id=PAUSE_OPEN)
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTEE)
    assert view is not None and view["title"]["text"] == "Pause our mentoring"
    picker = next(b for b in view["blocks"] if b.get("block_id") == PAUSE_BLOCK)
    assert picker["element"]["type"] == "datepicker"
    assert picker["element"]["initial_date"] == "2026-04-07"  # two weeks on, in New York
    assert "America/New_York" in str(picker["hint"])
    for day, error in (
        ("2026-03-24", "isn't in the future"),
        ("2026-03-20", "isn't in the future"),
        ("2027-06-01", "up to a year"),
    ):
        answer = tandem.slack.submit_view(MENTEE, view, {PAUSE_BLOCK: day})
        assert answer.json["response_action"] == "errors", day
        assert error in answer.json["errors"][PAUSE_BLOCK], (day, answer.json)
        assert pair_row(tandem, ref.pair_id).status == PairStatus.ACTIVE
    answer = tandem.slack.submit_view(MENTEE, view, {PAUSE_BLOCK: "2026-04-20"})
    assert answer.ok and answer.problems == []
    assert tandem.emulator.open_view(MENTEE) is None  # closed
    paused = pair_row(tandem, ref.pair_id)
    assert paused.status == PairStatus.PAUSED
    assert paused.paused_until == utc(2026, 4, 20, 4)  # midnight in New York (EDT)
    [notice] = queued(tandem, keys.PAUSED)
    assert notice.channel == ref.home_channel_id and "Noah paused" in notice.text
    # Opened again while paused, the form starts at the current pause's end.
    tandem.slack.click_button_in(message, MENTOR, action_id=PAUSE_OPEN)
    tandem.emulator.wait_for("views.open", count=2)
    again = tandem.emulator.open_view(MENTOR)
    picker = next(b for b in again["blocks"] if b.get("block_id") == PAUSE_BLOCK)
    assert picker["element"]["initial_date"] == "2026-04-20"


def test_only_the_pair_can_open_or_submit_the_pause_form(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    message = lapse_nudge(tandem)
    tandem.slack.click_button_in(message, OUTSIDER, action_id=PAUSE_OPEN)
    tandem.emulator.wait_for("response_url")
    assert tandem.emulator.calls("views.open") == []
    tandem.slack.click_button_in(message, MENTOR, action_id=PAUSE_OPEN)
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTOR)
    forged = {**view, "id": "VFORGED"}
    answer = tandem.slack.submit_view(OUTSIDER, forged, {PAUSE_BLOCK: "2026-04-20"})
    assert answer.json["response_action"] == "errors"
    assert "couldn't find" in answer.json["errors"][PAUSE_BLOCK]
    assert pair_row(tandem, ref.pair_id).status == PairStatus.ACTIVE
