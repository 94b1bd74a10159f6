"""`SlackEmulator.reset`: one server for a whole test suite, a new emulator for every test."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from devkit.emulator import Budget, RateLimits, SlackEmulator


def client_for(slack: SlackEmulator) -> WebClient:
    return WebClient(token=slack.token, base_url=slack.url, retry_handlers=[])


def test_a_reset_emulator_is_as_new_on_the_same_port(slack: SlackEmulator) -> None:
    before = client_for(slack)
    before.chat_postMessage(channel="C0GENERAL", text="from the last test")
    slack.fail_next("users.info", times=3)
    slack.set_fault_rate("*", server_errors=1.0)
    slack.set_latency("*", 5)
    slack.set_rate_limits(RateLimits(workspace={"users.info": Budget(per_second=0.01, burst=1)}))
    slack.revoke()
    slack.trigger_ttl = 0.1
    slack.clock = lambda: time.monotonic() + 3600
    port = slack.url.split(":")[2].split("/")[0]

    slack.reset()

    assert f":{port}/" in slack.url
    assert (slack.calls(), slack.messages(), slack.files()) == ([], [], [])
    assert slack.user_name("U0ADA") == "U0ADA"  # nobody of the last test's cast is left
    assert slack.trigger_ttl == 3.0 and slack.clock is time.monotonic
    after = client_for(slack)
    slack.add_user("U0NEW", "newcomer")
    started = time.monotonic()
    for _ in range(2):  # no fault, latency or limit left, and the token works again
        assert after.users_info(user="U0NEW")["user"]["name"] == "newcomer"
    assert time.monotonic() - started < 5  # the 5 s latency is gone
    assert after.chat_postMessage(channel="U0NEW", text="hello")["ok"]


def test_calls_to_the_urls_from_before_a_reset_are_refused_and_not_recorded(
    slack: SlackEmulator,
) -> None:
    stale = client_for(slack)
    slack.reset()
    slack.add_channel("C0GENERAL", "general")
    with pytest.raises(SlackApiError) as refused:
        stale.chat_postMessage(channel="C0GENERAL", text="from a listener that outlived its test")
    assert refused.value.response.status_code == 410
    assert slack.calls() == [] and slack.messages() == []
    client_for(slack).chat_postMessage(channel="C0GENERAL", text="this test's")
    assert [m["text"] for m in slack.messages()] == ["this test's"]


def test_a_reset_waits_for_calls_being_answered_so_none_lands_after_it(
    slack: SlackEmulator,
) -> None:
    slack.set_latency("chat.postMessage", 0.5)
    stale = client_for(slack)
    answered: list[int] = []

    def post() -> None:
        try:
            stale.chat_postMessage(channel="C0GENERAL", text="slow")
            answered.append(200)
        except SlackApiError as error:
            answered.append(error.response.status_code)

    thread = threading.Thread(target=post)
    thread.start()
    deadline = time.monotonic() + 5
    while not slack._answering and time.monotonic() < deadline:  # the post is being answered
        time.sleep(0.01)
    slack.reset()
    thread.join(5)
    assert answered == [200]  # it was under way: it finished, in the emulator of before
    assert slack.calls() == [] and slack.messages() == []


def test_response_urls_from_before_a_reset_are_gone(slack: SlackEmulator) -> None:
    url = slack.new_response_url(channel_id="C0GENERAL")
    slack.reset()
    request = urllib.request.Request(
        url, data=b'{"text": "late"}', headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 410
    assert slack.calls() == []
