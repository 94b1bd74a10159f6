"""Several workspaces on one emulator: each installation's token has its own rate limits."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from devkit.emulator import Budget, RateLimits, SlackEmulator
from devkit.emulator.ratelimit import LIMITED_HISTORY, RateLimiter


def test_each_workspace_spends_its_own_budget_and_one_can_be_throttled_harder() -> None:
    now = [1000.0]
    limiter = RateLimiter(RateLimits(workspace={"chat.postMessage": Budget(5, 2)}), lambda: now[0])
    limiter.set_team_limits("TSLOW", RateLimits(workspace={"chat.postMessage": Budget(1, 1)}))
    assert [limiter.admit("chat.postMessage", team="TA") for _ in range(3)] == [None, None, 1]
    assert limiter.admit("chat.postMessage", team="TB") is None  # TA's spending is not TB's
    assert limiter.admit("chat.postMessage", team="TSLOW") is None
    assert limiter.admit("chat.postMessage", team="TSLOW") == 1
    now[0] += 0.5
    assert limiter.admit("chat.postMessage", team="TA") is None  # 5 a second: back already
    assert limiter.admit("chat.postMessage", team="TSLOW") == 1  # 1 a second: not yet


def test_another_installations_token_works_and_meets_only_its_own_history_limit() -> None:
    with SlackEmulator() as slack:
        slack.add_channel("C1", "general")
        slack.set_rate_limits(
            RateLimits(workspace={}).with_method("conversations.history", LIMITED_HISTORY)
        )
        slack.add_team_token("T0OTHER", "xoxb-other")
        ours = WebClient(token=slack.token, base_url=slack.url, retry_handlers=[])
        other = WebClient(token="xoxb-other", base_url=slack.url, retry_handlers=[])
        other.conversations_history(channel="C1")
        with pytest.raises(SlackApiError) as refused:
            other.conversations_history(channel="C1")  # one a minute
        assert refused.value.response.status_code == 429
        assert int(refused.value.response.headers["Retry-After"]) == 60
        ours.conversations_history(channel="C1")  # the other workspace's minute is its own
        with pytest.raises(SlackApiError) as unknown:
            WebClient(token="xoxb-nobody", base_url=slack.url).auth_test()
        assert unknown.value.response.data["error"] == "invalid_auth"
