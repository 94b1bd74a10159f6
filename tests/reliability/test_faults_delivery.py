"""Delivery under faults, with `tandem run-due` as real processes: killed with SIGKILL in the
middle of a fan-out, and two at once while Slack answers 5xx and 429 at random. Every expected
message reaches Slack exactly once."""

import signal
from datetime import timedelta
from pathlib import Path

import pytest

from bot.delivery.claims import LEASE
from devkit.emulator import RateLimits
from devkit.emulator.ratelimit import LIMITED_HISTORY, RateLimiter
from tests.reliability.faults import (
    DAY_BEFORE,
    Delivery,
    assert_exactly_once,
    delivery,
    finish,
    next_due,
    rate_limited_seen,
    reminder_posted,
    run_due,
    sent_keys,
    server_errors_seen,
)
from tests.support.fanout import many_pairs
from tests.support.harness import Harness

PAIRS = 20  # a fan-out of 40 reminders
KILL_AFTER = 12  # posts seen before the kill
TICKS = 12  # ticks allowed to finish the outbox after the faults


def kill_mid_fan_out(
    database_url: str, tandem: Harness, tmp_path: Path
) -> tuple[set[str], Delivery]:
    """A fan-out of reminders, `tandem run-due` killed with SIGKILL after KILL_AFTER posts:
    the keys sent before, and what reached Slack by the kill."""
    many_pairs(tandem, PAIRS)
    before = sent_keys(tandem)
    slack = tandem.emulator
    slack.set_latency("chat.postMessage", 0.05)  # a fan-out long enough to be cut short
    first = run_due(database_url, slack, DAY_BEFORE, tmp_path)
    try:
        slack.wait_for(reminder_posted, timeout=60, count=KILL_AFTER)
    finally:
        first.send_signal(signal.SIGKILL)
        finish(first)
    assert first.returncode == -signal.SIGKILL
    cut_short = delivery(tandem, before)
    assert KILL_AFTER <= cut_short.delivered < cut_short.expected, cut_short
    slack.set_latency("chat.postMessage", 0)
    return before, cut_short


@pytest.mark.slow
def test_run_due_killed_mid_fan_out_then_rerun_delivers_each_message_once(
    database_url: str, tandem: Harness, tmp_path: Path
) -> None:
    before, cut_short = kill_mid_fan_out(database_url, tandem, tmp_path)
    slack = tandem.emulator
    # The next cron run, once the dead process's claims have run out.
    rerun = run_due(database_url, slack, DAY_BEFORE + LEASE + timedelta(seconds=1), tmp_path)
    code, out, err = finish(rerun)
    assert code == 0, err
    assert next_due(tandem) is None  # nothing left behind
    assert_exactly_once(
        "run-due SIGKILL mid fan-out, rerun",
        database_url,
        delivery(tandem, before),
        delivered_before_kill=cut_short.delivered,
        server_errors=server_errors_seen(slack),
    )


@pytest.mark.slow
def test_killed_mid_fan_out_with_history_read_once_a_minute_still_delivers_each_once(
    database_url: str, tandem: Harness, tmp_path: Path
) -> None:
    # Slack's limit for a commercially distributed app outside the Marketplace: every message
    # the dead process held must be checked, one channel a minute, and none is posted twice.
    slack = tandem.emulator
    minute = [1000.0]  # the limiter's clock, moved by hand: Slack's minutes, instantly
    limits = RateLimits(workspace={}).with_method("conversations.history", LIMITED_HISTORY)
    slack.rate_limiter = RateLimiter(limits, lambda: minute[0])
    before, cut_short = kill_mid_fan_out(database_url, tandem, tmp_path)
    slack.clear_calls()
    rerun = run_due(database_url, slack, DAY_BEFORE + LEASE + timedelta(seconds=1), tmp_path)
    code, _, err = finish(rerun)
    assert code == 0, err
    # Then a tick a minute (this process: another replica) until every check had its turn.
    reads, at, rounds = 0, next_due(tandem), 1
    while True:
        history = slack.calls("conversations.history")
        assert len({c.args["channel"] for c in history}) == len(history)  # once a channel
        reads += sum(1 for c in history if c.status == 200)
        assert sum(1 for c in history if c.status == 200) <= 1  # Slack's one a minute
        if at is None or rounds >= 3 * PAIRS:
            break
        slack.clear_calls()
        minute[0] += 60
        tandem.run_due(at)
        rounds += 1
        at = next_due(tandem)
    assert next_due(tandem) is None, f"outbox not empty after {rounds} runs"
    assert_exactly_once(
        "run-due SIGKILL mid fan-out, history 1 a minute",
        database_url,
        delivery(tandem, before),
        delivered_before_kill=cut_short.delivered,
        history_reads=reads,
        runs=rounds,
    )


@pytest.mark.slow
def test_two_run_due_at_once_through_5xx_and_429_deliver_each_message_once(
    database_url: str, tandem: Harness, tmp_path: Path
) -> None:
    # Two cron runs on SQLite are two writers on one file: SQLite supports it (one waits for
    # the other's write lock), though a team's deployment is one process.
    many_pairs(tandem, PAIRS)
    before = sent_keys(tandem)
    slack = tandem.emulator
    for method in ("chat.postMessage", "conversations.history"):
        slack.set_fault_rate(method, server_errors=0.2, rate_limited=0.1, retry_after=1, seed=14)
    slack.set_latency("chat.postMessage", 0.01)  # let the two interleave
    # Two cron runs at once; what Slack refused waits in the outbox for a later tick.
    processes = [run_due(database_url, slack, DAY_BEFORE, tmp_path) for _ in "ab"]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0, 0], results
    first_pass = delivery(tandem, before)
    # The next ticks (in this process: a third replica), Slack still failing as often.
    at, rounds = next_due(tandem), 1
    while at is not None and rounds < TICKS:
        tandem.run_due(at)
        rounds += 1
        at = next_due(tandem)
    assert next_due(tandem) is None, f"outbox not empty after {rounds} runs"
    assert_exactly_once(
        "two run-due at once, 20% 5xx + 10% 429",
        database_url,
        delivery(tandem, before),
        server_errors=server_errors_seen(slack),
        rate_limited=rate_limited_seen(slack),
        delivered_by_the_two=first_pass.delivered,
        ticks=rounds,
    )
