"""The listeners' Slack client waits out a short 429 and gives a long one back at once."""

import time

import pytest
from slack_sdk.errors import SlackApiError

from bot.core.slack_client import interactive_client, retry_after, without_rate_limit_waits
from devkit.emulator import SlackEmulator


def test_a_short_retry_after_is_waited_out_a_long_one_is_not(emulator: SlackEmulator) -> None:
    emulator.add_user("U1", "ada")
    client = interactive_client(emulator.token, emulator.url)
    emulator.fail_next("users.info", status=429, retry_after=1)
    assert client.users_info(user="U1")["user"]["id"] == "U1"  # after a second's wait
    emulator.fail_next("users.info", status=429, retry_after=30)
    started = time.monotonic()
    with pytest.raises(SlackApiError) as refused:
        client.users_info(user="U1")
    assert time.monotonic() - started < 5  # not 30 s asleep in a listener
    assert retry_after(refused.value) == 30


def test_a_client_without_rate_limit_waits_answers_429_at_once(emulator: SlackEmulator) -> None:
    emulator.add_user("U1", "ada")
    client = without_rate_limit_waits(interactive_client(emulator.token, emulator.url))
    emulator.fail_next("users.info", status=429, retry_after=1)
    with pytest.raises(SlackApiError) as refused:
        client.users_info(user="U1")
    assert retry_after(refused.value) == 1
    assert client.users_info(user="U1")["ok"]  # the same token and address otherwise
