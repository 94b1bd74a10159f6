"""An active pair that has not written its charter: nudged in its group DM on day 3 and day
10 with the button to write it, and on the admins' at-risk list; a pair with a charter is not."""

from datetime import timedelta

from tests.pairs.steps import (
    click,
    delivered,
    make_active_pair,
    open_charter,
    outbox_keys,
    submit_charter,
    the_pair,
)
from tests.programme.helpers import ephemeral_reply, text_of
from tests.support.harness import ADMIN, MENTEE, MENTOR, START, Harness

NUDGE = "charter.nudge:"  # the outbox keys of charter nudges


def test_a_pair_without_a_charter_is_nudged_on_day_3_and_day_10(tandem: Harness) -> None:
    pair_id = make_active_pair(tandem, MENTOR, MENTEE)
    home = the_pair(tandem).home_channel_id
    tandem.run_due(START)
    tandem.run_due(START + timedelta(days=2, hours=23))
    assert outbox_keys(tandem, NUDGE) == []

    tandem.run_due(START + timedelta(days=3))
    first = delivered(tandem, "charter.nudge", home)[0]
    assert "haven't written your charter yet" in first["text"]
    tandem.run_due(START + timedelta(days=9))
    assert outbox_keys(tandem, NUDGE) == [f"{NUDGE}{pair_id}:1"]
    # Nudged, not yet the admins' concern: the pair has its day-10 nudge still to come.
    assert "No charter written" not in text_of(ephemeral_reply(tandem, ADMIN, "admin pairs"))

    tandem.run_due(START + timedelta(days=10))
    second = delivered(tandem, "charter.nudge", home, n=2)[1]
    assert "Still no charter" in second["text"]
    assert "No charter written" not in text_of(ephemeral_reply(tandem, ADMIN, "admin pairs"))
    tandem.run_due(START + timedelta(days=30))
    assert outbox_keys(tandem, NUDGE) == [f"{NUDGE}{pair_id}:1", f"{NUDGE}{pair_id}:2"]

    # The admin sees the pair at risk for it, and the button opens the charter form.
    at_risk = text_of(ephemeral_reply(tandem, ADMIN, "admin pairs"))
    assert "No charter written" in at_risk
    click(tandem, second, MENTEE, "charter.open", answer="views.open")
    assert tandem.emulator.open_view(MENTEE)["callback_id"] == "charter.save"


def test_a_pair_that_wrote_its_charter_is_not_nudged_again(tandem: Harness) -> None:
    pair_id = make_active_pair(tandem, MENTOR, MENTEE)
    tandem.run_due(START)
    tandem.run_due(START + timedelta(days=3))
    assert outbox_keys(tandem, NUDGE) == [f"{NUDGE}{pair_id}:1"]
    form = open_charter(tandem, MENTOR)
    assert submit_charter(tandem, MENTOR, form).problems == []
    tandem.run_due(START + timedelta(days=10))
    tandem.run_due(START + timedelta(days=20))
    assert outbox_keys(tandem, NUDGE) == [f"{NUDGE}{pair_id}:1"]
