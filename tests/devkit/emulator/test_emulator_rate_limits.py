"""The emulator's rate limiter: Slack's per-channel and per-workspace limits, 429 beyond them."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from devkit.emulator import Budget, RateLimits, SlackEmulator
from devkit.emulator import ratelimit as tiers
from devkit.emulator.ratelimit import RateLimiter


class Clock:
    """A hand-moved monotonic clock for the limiter."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_posting_to_one_channel_allows_a_small_burst_then_one_a_second() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(workspace={}, per_channel=Budget(1, 3)), clock)
    assert [limiter.admit("chat.postMessage", "C1") for _ in range(3)] == [None, None, None]
    assert limiter.admit("chat.postMessage", "C1") == 1
    assert limiter.admit("chat.postMessage", "C2") is None  # another channel is not limited
    clock.now += 1
    assert limiter.admit("chat.postMessage", "C1") is None
    assert limiter.admit("chat.postMessage", "C1") == 1


def test_the_workspace_budget_of_a_method_answers_with_how_long_to_wait() -> None:
    clock = Clock()
    limits = RateLimits(workspace={"users.info": Budget(20 / 60, 2)})
    limiter = RateLimiter(limits, clock)
    assert limiter.admit("users.info") is None
    assert limiter.admit("users.info") is None
    assert limiter.admit("users.info") == 3  # a token every 3 s at 20 a minute
    assert limiter.admit("conversations.list") is None  # methods without a budget are free
    clock.now += 3
    assert limiter.admit("users.info") is None


def test_a_refused_call_is_a_real_429_with_retry_after_and_posts_nothing() -> None:
    limits = RateLimits(workspace={"chat.postMessage": Budget(100, 100)}, per_channel=Budget(1, 1))
    with SlackEmulator(rate_limits=limits) as slack:
        slack.add_user("U1", "ada")
        client = WebClient(token=slack.token, base_url=slack.url, retry_handlers=[])
        client.chat_postMessage(channel="U1", text="first")
        with pytest.raises(SlackApiError) as refused:
            # The same conversation by its id: limits follow the channel, not how it is named.
            client.chat_postMessage(channel=slack.dm_channel("U1"), text="second")
        assert refused.value.response.status_code == 429
        assert refused.value.response.headers["Retry-After"] in ("1", ["1"])
        assert refused.value.response.data == {"ok": False, "error": "ratelimited"}
        assert [m["text"] for m in slack.messages("U1")] == ["first"]
        assert [c.status for c in slack.calls("chat.postMessage")] == [200, 429]
        slack.set_rate_limits(None)
        client.chat_postMessage(channel="U1", text="third")
        assert len(slack.messages("U1")) == 2


def test_slack_tiers_allow_so_many_calls_in_any_minute_then_say_when() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(), clock)
    opened = [limiter.admit("conversations.open") for _ in range(50)]
    assert opened == [None] * 50
    clock.now += 20
    assert limiter.admit("conversations.open") == 40  # the first call leaves the minute then
    assert limiter.admit("users.info") is None  # Tier 4: its own budget
    clock.now += 40
    assert limiter.admit("conversations.open") is None
    assert limiter.admit("apps.connections.open") is None  # Tier 1: one a minute
    assert limiter.admit("apps.connections.open") == 60


def test_every_method_tandem_calls_has_a_tier() -> None:
    calls = {"users.lookupByEmail": 50, "views.publish": 100, "chat.update": 50, "files.info": 100}
    limits = RateLimits()
    for method, per_minute in calls.items():
        assert limits.workspace[method] == Budget.per_minute(per_minute)
    assert tiers.TIERS["conversations.open"] == 3
    assert limits.per_channel == Budget(1.0, 3)  # chat.postMessage: about one a second


def test_time_can_pass_for_the_limits_without_waiting() -> None:
    with SlackEmulator(rate_limits=RateLimits()) as slack:
        slack.add_user("U1", "ada")
        slack.add_user("U2", "bob")
        client = WebClient(token=slack.token, base_url=slack.url, retry_handlers=[])
        for _ in range(50):
            client.conversations_open(users="U1,U2")
        with pytest.raises(SlackApiError) as refused:
            client.conversations_open(users="U1,U2")
        assert refused.value.response.status_code == 429
        assert 58 <= int(refused.value.response.headers["Retry-After"]) <= 60
        slack.pass_time(60)
        client.conversations_open(users="U1,U2")
        answered = slack.calls("conversations.open")
        assert [c.status for c in answered] == [200] * 50 + [429, 200]
        assert answered[-1].rate_at - answered[0].rate_at >= 60


def test_the_environment_turns_slacks_tiers_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_EMULATOR_RATE_LIMITS", "slack")
    assert SlackEmulator().rate_limiter is not None
    monkeypatch.setenv("TANDEM_EMULATOR_RATE_LIMITS", "")
    assert SlackEmulator().rate_limiter is None
