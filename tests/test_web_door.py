"""The door of the HTTP server (bot/web_door.py, issue 20 §5): a client over its budget is
refused 429 before the application sees the request, in order on a kept-alive connection;
a client that asks again without waiting waits for its answer; Slack's requests and the
health check are never refused."""

import http.client
import re
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.web import BackgroundServer
from bot.web_door import TOO_MANY, ClientPace
from tests.support.processes import free_port, tandem_process, wait_healthy
from tests.test_socket_mode import socket_mode_env

BODY = b"served\n"


class App:
    """A WSGI application that counts what reaches it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.paths.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Length", str(len(BODY)))])
        return [BODY]


HOLD = 0.2  # seconds a refusal is held, shorter than a real second to keep the suite quick


@pytest.fixture
def served() -> Iterator[tuple[App, int]]:
    """The app behind a paced server whose clients may ask twice, and never again (the pace's
    clock does not move: every refusal after a client's first is held)."""
    app = App()
    pace = ClientPace(per_second=1, burst=2, clock=lambda: 0.0, hold=HOLD, longest_hold=HOLD)
    server = BackgroundServer(app, pace=pace).start()
    yield app, server.port
    server.stop()


def exchange(port: int, request: bytes, source: str = "127.0.0.1") -> bytes:
    """Send `request` as raw bytes from `source`; everything answered until the server closes
    the connection or stops answering for half a second."""
    with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0)) as s:
        s.sendall(request)
        s.settimeout(0.5)
        answer = b""
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
        return answer


def get(path: str, method: str = "GET", version: str = "1.1") -> bytes:
    """A request with no body, as bytes."""
    return f"{method} {path} HTTP/{version}\r\nHost: tandem\r\n\r\n".encode()


def statuses(answer: bytes) -> list[int]:
    """The status of every answer in `answer`, in order."""
    return [int(code) for code in re.findall(rb"HTTP/1\.[01] (\d{3}) ", answer)]


def test_a_client_over_its_budget_is_refused_at_the_door_on_the_same_connection(served) -> None:
    app, port = served
    # One connection, five requests one after another: two served, three refused, and the
    # connection stays open all along (a refusal is an answer, not a hang-up).
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    answers, sockets, waits = [], set(), []
    for _ in range(5):
        started = time.monotonic()
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        answers.append((response.status, dict(response.getheaders()), response.read()))
        waits.append(time.monotonic() - started)
        sockets.add(id(connection.sock))
    connection.close()
    assert len(sockets) == 1  # http.client would have opened another after a hang-up
    assert [status for status, _, _ in answers] == [200, 200, 429, 429, 429]
    # The first refusal comes at once; asking again at once (Retry-After said a second) gets
    # the next refusal only after the hold.
    assert waits[2] < HOLD and min(waits[3:]) >= HOLD
    assert app.paths == ["/metrics", "/metrics"]  # the refused ones never reached the app
    _, headers, body = answers[-1]
    assert headers["Retry-After"] == "1" and "Date" in headers and body == TOO_MANY
    # HEAD is answered with the headers alone.
    head = exchange(port, get("/calendar/x.ics", "HEAD"))
    assert statuses(head) == [429] and not head.endswith(TOO_MANY)


def test_a_client_that_does_not_wait_as_told_waits_for_its_answers() -> None:
    now = [0.0]
    pace = ClientPace(per_second=1, burst=1, clock=lambda: now[0], hold=0.5)
    server = BackgroundServer(App(), pace=pace).start()
    try:
        assert statuses(exchange(server.port, get("/metrics") * 2)) == [200, 429]
        # Asked again within the second: the refusal is held, and what the client sent
        # behind it without waiting is dropped: the connection ends with the refusal.
        held = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        started = time.monotonic()
        held.sendall(get("/metrics") * 2)
        answer = b""
        while chunk := held.recv(65536):
            answer += chunk
        assert time.monotonic() - started >= 0.5
        assert statuses(answer) == [429] and b"Connection: close\r\n" in answer
        # Meanwhile, Slack's requests and the health check from the same address are served
        # at once on connections of their own.
        held = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        held.sendall(get("/metrics"))
        started = time.monotonic()
        slack = b"POST /slack/events HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}"
        assert statuses(exchange(server.port, slack + get("/healthz"))) == [200, 200]
        assert time.monotonic() - started < 0.5 + 0.4  # the exchange's half second of silence
        assert statuses(held.recv(65536)) == [429]
        held.close()
        # A client that waits as told (a second and more) is answered at once again.
        now[0] += 1.5
        started = time.monotonic()
        assert statuses(exchange(server.port, get("/metrics") * 2)) == [200, 429]
        assert time.monotonic() - started < 0.5 + 0.4
    finally:
        server.stop()


def test_the_server_waits_idle_without_spending_a_core(served) -> None:
    # The I/O loop turns ten times a second to send held refusals in time: it must sleep in
    # between, not spin.
    app, port = served
    statuses(exchange(port, get("/metrics") * 4))  # a refusal held, then sent
    before = time.process_time()
    time.sleep(1)
    assert time.process_time() - before < 0.25


def test_slack_and_the_health_check_are_never_refused(served) -> None:
    app, port = served
    exchange(port, get("/metrics") * 3)
    assert statuses(exchange(port, get("/metrics"))) == [429]
    slack = b"POST /slack/events HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}"
    assert statuses(exchange(port, slack * 3 + get("/healthz") * 3)) == [200] * 6
    assert app.paths.count("/slack/events") == 3 and app.paths.count("/healthz") == 3


def test_each_client_has_its_own_budget(served) -> None:
    app, port = served
    assert statuses(exchange(port, get("/metrics") * 3)) == [200, 200, 429]
    # Another address on this machine's loopback is another client.
    assert statuses(exchange(port, get("/metrics") * 3, source="127.0.0.2")) == [200, 200, 429]


def test_answers_keep_their_order_when_a_refusal_follows_a_request_in_flight(served) -> None:
    app, port = served
    # Pipelined in one write: the first is served; the refusals after it wait their turn, the
    # first of them ends the connection, and nothing after it is served.
    answer = exchange(port, get("/metrics") + get("/metrics") * 2 + get("/calendar/a.ics"))
    assert statuses(answer)[:3] == [200, 200, 429]
    assert app.paths == ["/metrics", "/metrics"]
    assert exchange(port, get("/metrics", version="1.0")).startswith(b"HTTP/1.0 429")


def test_a_body_larger_than_slacks_is_refused_before_it_is_read(served) -> None:
    app, port = served
    request = b"POST /slack/events HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\n"
    assert statuses(exchange(port, request + b"x" * 1000)) == [413]
    assert app.paths == []


def test_tandem_serve_keeps_the_budget_an_operator_sets(tmp_path: Path, emulator) -> None:
    # Behind a proxy every client shares its address: the budget is a setting.
    port = free_port()
    env = {
        **socket_mode_env(tmp_path, emulator),
        "PORT": str(port),
        "TANDEM_CLIENT_REQUESTS_PER_SECOND": "1",
    }
    with tandem_process(["serve"], tmp_path, env) as process:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        # Bursts of twice the rate: two answered, the third refused; health is never refused.
        answers = [
            statuses(exchange(port, get("/metrics") * 3)),
            statuses(exchange(port, get("/healthz"))),
        ]
    assert answers == [[200, 200, 429], [200]]


def test_when_connections_run_short_a_client_over_its_budget_keeps_none(served) -> None:
    app, port = served
    assert statuses(exchange(port, get("/metrics") * 3)) == [200, 200, 429]  # budget spent
    # The spent client opens 80 connections: waitress allows 100 in all, and from three
    # quarters on, the spent client's new ones are closed at once.
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(80)]
    try:
        deadline = time.monotonic() + 10  # the server's turns, on a loaded machine too
        while True:
            readable, _, _ = select.select(held, [], [], 0.2)  # closed ones read as b""
            closed = [connection in readable and connection.recv(1) == b"" for connection in held]
            if all(closed[75:]) or time.monotonic() > deadline:
                break
        assert 70 <= closed.count(False) <= 75 and all(closed[75:])
        # Slack and a client within its budget still get in and are served.
        slack = b"POST /slack/events HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}"
        assert statuses(exchange(port, slack, source="127.0.0.2")) == [200]
        assert statuses(exchange(port, get("/metrics"), source="127.0.0.3")) == [200]
        # With another client's connections open too (three quarters in use), a refusal on a
        # connection the spent client still holds ends that connection.
        for _ in range(75 - closed.count(False)):
            other = socket.create_connection(
                ("127.0.0.1", port), timeout=5, source_address=("127.0.0.3", 0)
            )
            held.append(other)
            other.sendall(get("/healthz"))
            assert statuses(other.recv(65536)) == [200]
        kept = held[closed.index(False)]
        kept.settimeout(5)
        kept.sendall(get("/metrics"))
        answer = b""
        while chunk := kept.recv(65536):
            answer += chunk
        assert statuses(answer) == [429] and b"Connection: close\r\n" in answer
    finally:
        for connection in held:
            connection.close()
