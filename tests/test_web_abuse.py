"""The metrics and calendar endpoints under abuse (issue 20 §5): wrong methods, huge and
malformed paths, unknown tokens, one client asking too often. Never a 5xx, never a token or
a person in an answer, and an unknown token's 404 as slow as a reset one's."""

import http.client
import socket
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from bot.web_door import ClientPace
from devkit.emulator import SlackEmulator
from tests.meetings.helpers import weekly_pair
from tests.meetings.test_calendar_feed import PUBLIC_URL, subscribe
from tests.support.harness import MENTOR, Harness, running_tandem

METHODS = ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND")


@pytest.fixture
def tandem(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem with a public address, so that feeds exist."""
    yield from running_tandem(database_url, emulator, public_url=PUBLIC_URL)


def ask(harness: Harness, method: str, path: str) -> tuple[int, bytes, dict[str, str]]:
    """One request with `path` sent exactly as given (no quoting)."""
    where = urlsplit(harness.app_url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def raw(harness: Harness, request: bytes) -> bytes:
    """Send bytes as they are; the first line of the answer."""
    where = urlsplit(harness.app_url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(request)
        return sock.recv(4096).split(b"\r\n", 1)[0]


def secrets_of(tandem: Harness) -> tuple[str, ...]:
    """What an answer must never carry: the live feed's token and who owns it."""
    token = subscribe(tandem, MENTOR).rsplit("/", 1)[1].removesuffix(".ics")
    return token, MENTOR, "maya", "Maya"


def test_wrong_methods_are_refused_without_a_5xx(tandem: Harness) -> None:
    weekly_pair(tandem)
    token, *person = secrets_of(tandem)
    for path in ("/metrics", f"/calendar/{token}.ics", "/calendar/unknown.ics"):
        for method in METHODS:
            status, body, headers = ask(tandem, method, path)
            assert status == 405, (method, path, status)
            assert headers.get("Allow") == "GET, HEAD"
            assert token.encode() not in body and not any(p.encode() in body for p in person)


def test_huge_and_malformed_paths_answer_404_or_400_and_say_nothing(tandem: Harness) -> None:
    weekly_pair(tandem)
    secrets = [s.encode() for s in secrets_of(tandem)]
    paths = [
        "/calendar/" + "A" * 100_000 + ".ics",
        "/calendar/" + "%ff%fe%00" * 200 + ".ics",
        "/calendar/%00.ics",
        "/calendar/../../../etc/passwd",
        "/calendar/..%2f..%2fmetrics",
        "/calendar//.ics",
        "/calendar/.ics",
        "/calendar/",
        "/calendar/a/b/c.ics",
        "/calendar/" + "%C3%A9" * 50 + ".ics",
        "/calendar/x.ics?token=" + "y" * 5000,
        "/metrics/../calendar/x.ics",
        "/metrics?" + "a=b&" * 2000,
        "/metricsXYZ",
    ]
    for path in paths:
        status, body, _ = ask(tandem, "GET", path)
        assert status in (200, 400, 404, 431), (path[:40], status)
        assert status != 200 or path.startswith("/metrics?"), path[:40]
        assert not any(secret in body for secret in secrets), path[:40]
    # Bytes no client library would send: a request line of garbage, a path over waitress'
    # header limit.
    assert raw(tandem, b"GET /calendar/\xff\x00\xfe.ics HTTP/1.1\r\nHost: x\r\n\r\n")[9:10] == b"4"
    assert raw(tandem, "GET /calendar/é.ics HTTP/1.1\r\nHost: x\r\n\r\n".encode())[9:10] == b"4"
    huge = b"GET /calendar/" + b"B" * 400_000 + b".ics HTTP/1.1\r\nHost: x\r\n\r\n"
    assert raw(tandem, huge)[9:10] == b"4"
    assert ask(tandem, "GET", "/healthz")[0] == 200  # the server is still answering


def test_unknown_tokens_are_answered_like_reset_ones_and_as_fast(tandem: Harness) -> None:
    weekly_pair(tandem)
    old = subscribe(tandem, MENTOR).rsplit("/", 1)[1]
    subscribe(tandem, MENTOR)  # a new address: the old token is now unknown to Tandem
    unknown = "Q" * len(old.removesuffix(".ics")) + ".ics"
    reset = ask(tandem, "GET", f"/calendar/{old}")
    assert (
        reset[:2]
        == ask(tandem, "GET", f"/calendar/{unknown}")[:2]
        == (
            404,
            b"No such calendar.\n",
        )
    )
    timings: dict[str, list[float]] = {"reset": [], "unknown": []}
    for _ in range(30):  # interleaved, so the machine's load falls on both alike
        for name, path in (("reset", old), ("unknown", unknown)):
            started = time.perf_counter()
            assert ask(tandem, "GET", f"/calendar/{path}")[0] == 404
            timings[name].append(time.perf_counter() - started)
            time.sleep(0.05)  # within one client's budget of requests a second
    ratio = statistics.median(timings["unknown"]) / statistics.median(timings["reset"])
    assert 1 / 3 < ratio < 3, timings  # a loaded machine is noisy; building a feed is not this


def test_one_client_asking_too_often_is_slowed_with_429_not_5xx(tandem: Harness) -> None:
    weekly_pair(tandem)
    token, *_ = secrets_of(tandem)
    paths = ["/metrics", f"/calendar/{token}.ics"] * 40
    # Ten at a time: far faster than the 20 a second one client may ask.
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda path: ask(tandem, "GET", path), paths))
    assert max(status for status, _, _ in answers) < 500
    refused = [(body, headers) for status, body, headers in answers if status == 429]
    assert refused and all(h["Retry-After"] == "1" for _, h in refused)
    assert all(b"Try again" in body and token.encode() not in body for body, _ in refused)
    # Slack's requests are not counted: a command is answered at once.
    assert tandem.slack.command(MENTOR, "help").ok
    time.sleep(2.1)  # the budget refills
    assert ask(tandem, "GET", f"/calendar/{token}.ics")[0] == 200


def test_the_pace_is_per_client_refills_and_forgets_the_least_recent() -> None:
    now = [100.0]
    pace = ClientPace(per_second=2, burst=3, remembered=2, clock=lambda: now[0])
    # None: admitted; a number: refused, its answer held that long.
    assert [pace.admit("a") for _ in range(4)] == [None, None, None, 0]
    assert pace.admit("b") is None  # another client has its own budget
    now[0] += 0.5
    # Half a second after its refusal: a token again, then a refusal it was told to wait
    # for (Retry-After: 1) held a second.
    assert pace.admit("a") is None and pace.admit("a") == 1
    now[0] += 1.5
    # It waited as told: refused again once its burst is spent, and answered at once.
    assert [pace.admit("a") for _ in range(4)] == [None, None, None, 0]
    # Ignoring refusal after refusal: held twice as long each time, up to eight seconds.
    assert [pace.admit("a") for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    pace.admit("c")  # a third address: the least recent ("b") is forgotten
    assert list(pace._buckets) == ["a", "c"]
