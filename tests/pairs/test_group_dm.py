"""When Slack won't open the group DM, the pair is active anyway and nothing is lost."""

from datetime import timedelta

from storage.models import PairStatus
from tests.pairs.steps import (
    click,
    click_in_dm,
    delivered,
    open_charter,
    outbox_keys,
    propose,
    the_pair,
)
from tests.support.harness import MENTEE, MENTOR, Harness


def test_without_a_group_dm_both_are_welcomed_by_dm_and_the_home_follows(
    tandem: Harness,
) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    tandem.emulator.fail_next("conversations.open", status=200, error="internal_error")
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.accept")

    pair = the_pair(tandem)
    assert pair.status == PairStatus.ACTIVE and pair.home_channel_id is None
    accepted = tandem.emulator.messages(MENTEE)[0]["text"]
    assert "you're now a mentoring pair" in accepted and "sent you both a welcome" in accepted
    for user in (MENTOR, MENTEE):
        welcome = delivered(tandem, "pair.welcome", user)[0]
        assert "I'll keep trying" in str(welcome["blocks"])
    # The charter can be started from the DM welcome already.
    click(tandem, welcome, MENTEE, "charter.open", answer="views.open")
    assert tandem.emulator.open_view(MENTEE)["callback_id"] == "charter.save"

    # The next scheduler tick opens the group DM and says hello there, once.
    tandem.run_due()
    home = the_pair(tandem).home_channel_id
    assert home is not None and home.startswith("G")
    assert len(delivered(tandem, "pair.welcome", home)) == 1
    tandem.run_due()
    assert len(tandem.emulator.messages(home)) == 1
    assert len(tandem.emulator.calls("conversations.open")) == 2


def test_the_scheduler_keeps_trying_while_slack_refuses(tandem: Harness) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    tandem.emulator.fail_next("conversations.open", status=200, error="internal_error", times=2)
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.accept")
    report = tandem.run_due()
    assert report.queued == 0 and the_pair(tandem).home_channel_id is None
    tandem.run_due()
    assert the_pair(tandem).home_channel_id is not None
    form = open_charter(tandem, MENTOR)
    assert form["callback_id"] == "charter.save"


def test_slack_asking_to_wait_leaves_the_group_dm_to_the_tick_once_retry_after_passed(
    tandem: Harness,
) -> None:
    propose(tandem, MENTOR, MENTOR, MENTEE)
    tandem.emulator.fail_next("conversations.open", status=429, retry_after=30)
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.accept")

    # The click neither slept on Retry-After nor welcomed anyone by DM: the tick will.
    pair = the_pair(tandem)
    assert pair.status == PairStatus.ACTIVE and pair.home_channel_id is None
    accepted = tandem.emulator.messages(MENTEE)[0]["text"]
    assert "you're now a mentoring pair" in accepted and "within a few minutes" in accepted
    assert [c.status for c in tandem.emulator.calls("conversations.open")] == [429]
    assert outbox_keys(tandem, "pair.welcome") == []

    tandem.run_due()  # Slack's 30 seconds have not passed: Tandem does not ask again
    assert len(tandem.emulator.calls("conversations.open")) == 1
    tandem.run_due(tandem.clock.now() + timedelta(seconds=31))
    home = the_pair(tandem).home_channel_id
    assert home is not None
    tandem.run_due(tandem.clock.now() + timedelta(minutes=1))
    assert len(delivered(tandem, "pair.welcome", home)) == 1
    assert outbox_keys(tandem, "pair.welcome") == [f"pair.welcome:{pair.id}"]  # none by DM
    assert [c.status for c in tandem.emulator.calls("conversations.open")] == [429, 200]
