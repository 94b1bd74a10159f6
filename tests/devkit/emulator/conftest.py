"""Fixtures for the emulator's own tests: a populated workspace, a real client, a Bolt app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.web import BackgroundServer
from devkit.emulator import SlackDriver, SlackEmulator

SIGNING_SECRET = "emulator-test-signing-secret"


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    """A running emulator with a few users and channels in known states."""
    with SlackEmulator() as emulator:
        emulator.add_user("U0ADA", "ada", tz="Europe/London", real_name="Ada Lovelace")
        emulator.add_user("U0BOB", "bob", tz="America/New_York")
        emulator.add_user("U0CAT", "cat", tz="Asia/Tokyo")
        emulator.add_user("U0GONE", "gone", deleted=True)
        emulator.add_user("U0OTHERBOT", "otherbot", is_bot=True)
        emulator.add_channel("C0GENERAL", "general")
        emulator.add_channel("C0OLD", "old-stuff", is_archived=True)
        emulator.add_channel("C0NOTIN", "not-joined", bot_is_member=False)
        yield emulator


@pytest.fixture
def client(slack: SlackEmulator) -> WebClient:
    """slack_sdk's real client pointed at the emulator (no retry handlers: see each test)."""
    return WebClient(token=slack.token, base_url=slack.url, retry_handlers=[])


@dataclass
class BoltHarness:
    app: App
    driver: SlackDriver
    slack: SlackEmulator


@pytest.fixture
def bolt(slack: SlackEmulator) -> Iterator[BoltHarness]:
    """A Bolt app served over HTTP whose Web API client talks to the emulator.

    Tests register listeners on ``bolt.app`` and then act through ``bolt.driver``.
    """
    app = App(
        signing_secret=SIGNING_SECRET,
        client=WebClient(token=slack.token, base_url=slack.url),
        token_verification_enabled=False,
    )
    server = BackgroundServer(SlackRequestHandler(app)).start()
    yield BoltHarness(app, SlackDriver(server.url, SIGNING_SECRET, slack), slack)
    server.stop()
