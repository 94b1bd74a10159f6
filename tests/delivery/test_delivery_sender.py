"""The outbox sender against the emulator: once, and only once, whatever Slack does."""

import time
from datetime import timedelta

from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.context import Tandem
from bot.core.slack_client import QUICK_RETRIES
from bot.delivery.sender import LEASE, MAX_ATTEMPTS, backoff, claim_batch, deliver_due
from bot.delivery.service import message_metadata
from devkit.emulator import Budget, RateLimits, SlackEmulator
from storage.models import OutboxStatus
from storage.queries.delivery import failed_deliveries
from tests.delivery.helpers import queue, row
from tests.support.harness import (
    BOT_USER,
    CELEBRATIONS_CHANNEL,
    DEACTIVATED,
    START,
    TEAM_ID,
    settings_for_test,
)
from tests.support.waits import CountedWaits

NOON = START + timedelta(hours=3)  # 12:00 UTC: nobody in the cast is in quiet hours... mostly


def posts(emulator: SlackEmulator) -> list:
    return [c for c in emulator.calls("chat.postMessage") if c.response.get("ok")]


def test_a_key_is_queued_once_and_sent_once(ctx: Tandem, emulator: SlackEmulator) -> None:
    queue(ctx, "test:1", CELEBRATIONS_CHANNEL, START)
    queue(ctx, "test:1", CELEBRATIONS_CHANNEL, START, text="a second copy")
    first = deliver_due(ctx, START)
    again = deliver_due(ctx, START + timedelta(minutes=5))
    assert (first.sent, again.sent) == (1, 0)
    [post] = posts(emulator)
    assert post.args["text"] == "message test:1"
    assert emulator.messages(CELEBRATIONS_CHANNEL)[0]["metadata"] == message_metadata("test:1")


def test_a_crash_between_posting_and_recording_is_recovered_not_resent(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    queue(ctx, "test:crash", CELEBRATIONS_CHANNEL, START)
    [claimed] = claim_batch(ctx, START)
    # The sender posts, then dies before it can record that it did.
    ctx.delivery_client(TEAM_ID).chat_postMessage(
        channel=CELEBRATIONS_CHANNEL, text=claimed.text, metadata=message_metadata(claimed.key)
    )
    assert deliver_due(ctx, START + LEASE / 2).sent == 0  # still leased to the dead sender
    report = deliver_due(ctx, START + LEASE + timedelta(seconds=1))
    assert (report.recovered, report.sent) == (1, 0)
    assert len(posts(emulator)) == 1
    recorded = row(ctx, "test:crash")
    assert recorded.status == OutboxStatus.SENT
    assert recorded.sent_ts == emulator.messages(CELEBRATIONS_CHANNEL)[0]["ts"]
    history = emulator.calls("conversations.history")
    assert history and history[0].args["include_all_metadata"] in (True, "true", "1")


def test_a_crash_before_posting_is_taken_over_and_posted_once(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    queue(ctx, "test:dm-crash", "UMENTOR01", NOON)
    claim_batch(ctx, NOON)  # claimed, then the sender died before posting
    report = deliver_due(ctx, NOON + LEASE + timedelta(seconds=1))
    assert (report.sent, report.recovered) == (1, 0)
    assert len(posts(emulator)) == 1


def test_rate_limits_wait_for_retry_after_and_lose_nothing(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    for n in range(3):
        queue(ctx, f"test:burst:{n}", CELEBRATIONS_CHANNEL, START)
    emulator.fail_next("chat.postMessage", status=429, retry_after=30)
    report = deliver_due(ctx, START)
    # The first post was refused; the rest of the batch waits too instead of hammering Slack.
    assert (report.sent, report.deferred) == (0, 3)
    assert len(emulator.calls("chat.postMessage")) == 1
    waiting = row(ctx, "test:burst:2")
    assert waiting.deliver_after == START + timedelta(seconds=30)
    assert waiting.attempts == 0  # waiting when asked to is not a failed attempt
    assert deliver_due(ctx, START + timedelta(seconds=29)).sent == 0
    assert deliver_due(ctx, START + timedelta(seconds=30)).sent == 3
    assert len(posts(emulator)) == 3


def test_being_rate_limited_many_times_never_gives_up(ctx: Tandem, emulator: SlackEmulator) -> None:
    queue(ctx, "test:patient", CELEBRATIONS_CHANNEL, START)
    # Longer than a pass waits in-process: each pass hands the row back to the outbox.
    emulator.fail_next("chat.postMessage", status=429, retry_after=30, times=MAX_ATTEMPTS + 4)
    now = START
    for _ in range(MAX_ATTEMPTS + 5):
        deliver_due(ctx, now)
        now += timedelta(seconds=30)
    assert row(ctx, "test:patient").status == OutboxStatus.SENT
    assert len(posts(emulator)) == 1


def test_a_short_retry_after_is_waited_out_within_the_pass(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    for n in range(3):
        queue(ctx, f"test:short:{n}", CELEBRATIONS_CHANNEL, START)
    emulator.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    report = deliver_due(ctx, START)
    assert (report.sent, report.deferred, report.rate_limited) == (3, 0, 1)
    assert 1 <= time.monotonic() - started < 5
    assert report.waited_seconds >= 0.9
    assert row(ctx, "test:short:2").attempts == 1  # the 429 was not counted as an attempt
    assert len(posts(emulator)) == 3


def test_a_channel_that_must_wait_does_not_hold_up_the_others(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    """Slack allows about one post a second per channel: the pass keeps posting elsewhere."""
    emulator.set_rate_limits(RateLimits(workspace={}, per_channel=Budget(1, 1)))
    for n in range(3):
        queue(ctx, f"test:busy:{n}", CELEBRATIONS_CHANNEL, START)
    for n, user in enumerate(("UMENTOR01", "UMENTEE01", "UMENTEE02")):
        queue(ctx, f"test:dm:{n}", user, NOON)
    report = deliver_due(ctx, NOON)
    assert (report.sent, report.deferred, report.failed) == (6, 0, 0)
    ok = [c for c in emulator.calls("chat.postMessage") if c.status == 200]
    to_channel = [c.at for c in ok if c.args["channel"] == CELEBRATIONS_CHANNEL]
    to_people = [c.at for c in ok if c.args["channel"] != CELEBRATIONS_CHANNEL]
    assert len(to_channel) == 3 and len(to_people) == 3
    assert max(to_people) < to_channel[-1]  # nobody waited behind the busy channel
    assert to_channel[-1] - to_channel[0] >= 1.5  # the channel's own pace was kept
    keys = [((c.args.get("metadata") or {}).get("event_payload") or {}).get("key") for c in ok]
    assert len(keys) == len(set(keys)) == 6


def test_a_spent_workspace_budget_pauses_the_workspace_and_loses_nothing(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    emulator.set_rate_limits(RateLimits(workspace={"chat.postMessage": Budget(4, 4)}))
    users = ("UMENTOR01", "UMENTEE01", "UMENTEE02", "UADMIN001")
    for n in range(12):
        queue(ctx, f"test:budget:{n}", users[n % 4], NOON, exempt_from_cap=True)
    started = time.monotonic()
    report = deliver_due(ctx, NOON)
    elapsed = time.monotonic() - started
    assert (report.sent, report.deferred, report.failed) == (12, 0, 0)
    assert report.rate_limited >= 1
    assert 1.5 <= elapsed < 6  # 4 at once, then 4 a second
    keys = [c.args["metadata"] for c in emulator.calls("chat.postMessage") if c.status == 200]
    assert len(keys) == 12


def test_server_errors_are_retried_quickly_then_backed_off_with_jitter(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    ctx.retry_waits = waits = CountedWaits()  # slack_sdk's quick retries, without sleeping
    queue(ctx, "test:5xx", CELEBRATIONS_CHANNEL, START)
    # A 500 may come after Slack posted: only the outbox retries it, after a history check.
    emulator.fail_next("chat.postMessage", status=500)
    assert deliver_due(ctx, START).deferred == 1
    first_retry = row(ctx, "test:5xx").deliver_after
    assert timedelta(seconds=24) <= first_retry - START <= timedelta(seconds=36)
    # The history check meets more server errors than the quick retries cover.
    emulator.fail_next("conversations.history", status=503, times=3)
    assert deliver_due(ctx, first_retry).deferred == 1
    second_retry = row(ctx, "test:5xx").deliver_after
    assert timedelta(seconds=48) <= second_retry - first_retry <= timedelta(seconds=72)
    # 503s (nothing was posted) are retried within the pass: this one goes out at once.
    emulator.fail_next("chat.postMessage", status=503, times=2)
    report = deliver_due(ctx, second_retry)
    assert (report.sent, report.deferred) == (1, 0)
    assert len(posts(emulator)) == 1
    assert [c.status for c in emulator.calls("chat.postMessage")] == [500, 503, 503, 200]
    assert waits.asked == [0, 1, 0, 1]  # both quick retries of the history, then of the post


def test_backoff_is_jittered_so_an_outage_does_not_come_back_at_once() -> None:
    waits = {backoff(1) for _ in range(20)}
    assert len(waits) > 1
    assert all(timedelta(seconds=24) <= w <= timedelta(seconds=36) for w in waits)
    assert all(timedelta(minutes=48) <= backoff(9) <= timedelta(minutes=72) for _ in range(5))


def test_a_network_failure_is_retried_by_a_later_sender(
    database_url: str, ctx: Tandem, emulator: SlackEmulator
) -> None:
    queue(ctx, "test:offline", CELEBRATIONS_CHANNEL, START)
    unreachable = build_tandem(
        settings_for_test(database_url, emulator, slack_api_url="http://127.0.0.1:9/api/"),
        clock=FrozenClock(START),
        migrate=False,
    )
    unreachable.retry_waits = waits = CountedWaits()
    try:
        assert deliver_due(unreachable, START).deferred == 1
        assert waits.asked == [0, 1]  # nothing reached Slack: retried quickly, twice
    finally:
        unreachable.engine.dispose()
    waiting = row(ctx, "test:offline")
    assert waiting.status == OutboxStatus.PENDING and "network" in waiting.last_error
    assert deliver_due(ctx, waiting.deliver_after).sent == 1
    assert len(posts(emulator)) == 1


def test_permanent_errors_are_recorded_for_admins_and_never_retried(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    emulator.add_channel("CARCHIVED", "old-programme", is_archived=True)
    queue(ctx, "test:gone", DEACTIVATED, START)
    queue(ctx, "test:archived", "CARCHIVED", START)
    queue(ctx, "test:bot", BOT_USER, START)
    report = deliver_due(ctx, START)
    assert report.failed == 3
    calls = len(emulator.calls())
    assert deliver_due(ctx, START + timedelta(days=2)).failed == 0
    assert len(emulator.calls()) == calls
    with ctx.session() as session:
        failed = {r.key: r.last_error for r in failed_deliveries(session, TEAM_ID)}
    assert failed == {
        "test:gone": "user_disabled",
        "test:archived": "is_archived",
        "test:bot": "cannot_dm_bot",
    }


def test_errors_that_keep_coming_end_as_failed_not_retried_forever(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    # Every attempt's quick retries are made, without sleeping slack_sdk's 0.5 to 2 s each.
    ctx.retry_waits = waits = CountedWaits()
    queue(ctx, "test:doomed", CELEBRATIONS_CHANNEL, START)
    emulator.fail_next("*", status=500, times=10 * MAX_ATTEMPTS)
    now = START
    for _ in range(MAX_ATTEMPTS + 2):
        deliver_due(ctx, now)
        now += timedelta(hours=2)
    doomed = row(ctx, "test:doomed")
    assert doomed.status == OutboxStatus.FAILED
    assert doomed.last_error.startswith(f"gave up after {MAX_ATTEMPTS}")
    # After the first 500 the history is checked each time, through both quick retries.
    history = emulator.calls("conversations.history")
    assert len(history) == (MAX_ATTEMPTS - 1) * (1 + QUICK_RETRIES), len(history)
    assert waits.asked == list(range(QUICK_RETRIES)) * (MAX_ATTEMPTS - 1), waits.asked


def test_what_is_too_late_is_expired_not_sent(ctx: Tandem, emulator: SlackEmulator) -> None:
    queue(ctx, "test:late", CELEBRATIONS_CHANNEL, START, expires_at=START + timedelta(minutes=10))
    assert deliver_due(ctx, START + timedelta(hours=1)).expired == 1
    assert posts(emulator) == []
    assert row(ctx, "test:late").status == OutboxStatus.EXPIRED
