"""Slack's requests first (bot/slack_first.py, issue 20 §5): a metrics scrape or a calendar
feed starts only once no Slack request is being answered, or after a short wait at most;
the health check never waits."""

import http.client
import threading
import time
from collections.abc import Iterator

import pytest

from bot.app import build_app, build_tandem
from bot.core.clock import FrozenClock
from bot.web import BackgroundServer, TandemWSGI
from devkit.emulator import SlackDriver, SlackEmulator
from tests.support.harness import SIGNING_SECRET, START, settings_for_test


@pytest.fixture
def served(database_url: str, emulator: SlackEmulator) -> Iterator[tuple[TandemWSGI, int]]:
    """Tandem's WSGI application behind a real server."""
    ctx = build_tandem(settings_for_test(database_url, emulator), clock=FrozenClock(START))
    wsgi = TandemWSGI(build_app(ctx), ctx)
    server = BackgroundServer(wsgi).start()
    yield wsgi, server.port
    server.stop()
    ctx.engine.dispose()


def status_of(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_scrape_waits_until_slack_has_been_answered(served) -> None:
    wsgi, port = served
    wsgi.slack_first.patience = 5
    answered: list[int] = []
    scrape = threading.Thread(target=lambda: answered.append(status_of(port, "/metrics")))
    with wsgi.slack_first.answering_slack():  # as while Bolt answers a Slack request
        scrape.start()
        time.sleep(0.5)
        assert answered == []  # still waiting
        # The health check never waits: a load balancer must not think Tandem is down.
        assert status_of(port, "/healthz") == 200
    scrape.join(timeout=5)
    assert answered == [200]


def test_a_scrape_waits_no_longer_than_its_patience(served) -> None:
    # On a busy morning Slack's requests may never stop: Prometheus is answered all the same.
    wsgi, port = served
    wsgi.slack_first.patience = 0.3
    with wsgi.slack_first.answering_slack():
        started = time.monotonic()
        assert status_of(port, "/metrics") == 200
        assert 0.3 <= time.monotonic() - started < 3


def test_only_two_wait_at_once_so_that_slack_keeps_its_threads(served) -> None:
    # A waiting request holds one of the server's threads; past two, the rest go ahead.
    wsgi, port = served
    wsgi.slack_first.patience = 5
    answered: list[int] = []
    waiting = [
        threading.Thread(target=lambda: answered.append(status_of(port, "/metrics")))
        for _ in range(2)
    ]
    with wsgi.slack_first.answering_slack():
        for thread in waiting:
            thread.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert status_of(port, "/metrics") == 200  # the third, at once
        assert time.monotonic() - started < 2 and answered == []
    for thread in waiting:
        thread.join(timeout=5)
    assert answered == [200, 200]


def test_once_slack_has_been_answered_nothing_waits(served, emulator) -> None:
    # Signed Slack requests, answered and refused (a bad signature), leave nothing counted
    # behind them: a scrape afterwards is answered at once, not after its patience.
    wsgi, port = served
    wsgi.slack_first.patience = 5
    emulator.add_user("UFIRST1", "ada", tz="UTC", real_name="Ada")
    url = f"http://127.0.0.1:{port}/slack/events"
    assert SlackDriver(url, SIGNING_SECRET, emulator).command("UFIRST1", "help").ok
    assert not SlackDriver(url, "not-the-secret", emulator).command("UFIRST1", "help").ok
    started = time.monotonic()
    assert status_of(port, "/metrics") == 200
    assert time.monotonic() - started < 2
