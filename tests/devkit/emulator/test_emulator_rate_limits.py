"""The emulator's rate limiter: Slack's per-channel and per-workspace limits, 429 beyond them."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from devkit.emulator import Budget, RateLimits, SlackEmulator
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
