"""The door of Tandem's HTTP server: one client asking too often is refused before any of
Tandem's code runs for it.

Everything on PORT but Slack's requests and the health check (metrics, calendar feeds, the
OAuth pages, unknown paths) is within a per-address budget (`ClientPace`). The check runs in
waitress' I/O thread as soon as a request has been read: a request over budget is answered
429 there and then, with no task for a worker thread, no WSGI environ and no database read.
Refusing in a worker cost Tandem's interpreter 175 to 300 µs a request, and a thousand such
requests a second stretched the tail of Slack's acknowledgements (`bench abuse`).

waitress stops accepting connections at its limit (100), and Slack's requests then wait
with everyone else's. So when three quarters of the connections are open, a client over its
budget keeps none: a new connection of its is closed at once, and one it was refused on is
closed after the answer. Nobody else's connections are touched.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from email.utils import formatdate
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.utilities import Error

from bot.core.config import DEFAULT_CLIENT_REQUESTS_PER_SECOND
from bot.request_gate import MAX_BODY_BYTES

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
TOO_MANY = b"Too many requests from one client. Try again in a second.\n"


class ClientPace:
    """How often one client (its address) may ask for what is not Slack's: a token bucket
    per address, `per_second` with bursts of `burst` (twice `per_second` unless given).

    Behind a proxy every client shares the proxy's address: the operator raises the budget
    there (TANDEM_CLIENT_REQUESTS_PER_SECOND). At most `remembered` addresses are kept, the
    least recent dropped.
    """

    def __init__(
        self,
        per_second: float = DEFAULT_CLIENT_REQUESTS_PER_SECOND,
        burst: float | None = None,
        remembered: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second, self.remembered = per_second, remembered
        self.burst = float(burst if burst is not None else 2 * per_second)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def admit(self, client: str) -> bool:
        """Take one request's token for `client`; False when its budget is spent."""
        now = self._clock()
        with self._lock:
            tokens = self._tokens(self._buckets.pop(client, None), now)
            admitted = tokens >= 1
            self._buckets[client] = (tokens - 1 if admitted else tokens, now)
            while len(self._buckets) > self.remembered:
                self._buckets.popitem(last=False)
            return admitted

    def spent(self, client: str) -> bool:
        """Whether `client` has no request left in its budget now (nothing is taken)."""
        now = self._clock()
        with self._lock:
            return self._tokens(self._buckets.get(client), now) < 1

    def _tokens(self, bucket: tuple[float, float] | None, now: float) -> float:
        """What a bucket (tokens, when last touched) holds at `now`; a new client's is full."""
        if bucket is None:
            return self.burst
        tokens, at = bucket
        return min(self.burst, tokens + (now - at) * self.per_second)


def is_health_check(method: str, path: str) -> bool:
    """Whether a request is a load balancer's or a probe's `GET /healthz` (or HEAD)."""
    return path == HEALTH_PATH and method in ("GET", "HEAD")


def is_paced(method: str, path: str) -> bool:
    """Whether a request counts against its client's budget: all but Slack's requests
    (which come from Slack's many addresses, or all from one proxy) and the health check
    (a load balancer must never be told 429)."""
    return path != EVENTS_PATH and not is_health_check(method, path)


class _TooMany(Error):
    """A refusal answered by waitress' error task: used when an earlier request on the same
    connection is still being served, so that answers keep their order (the connection is
    then closed, as after any error)."""

    code = 429
    reason = "Too Many Requests"

    def to_response(self, ident: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
        headers = [("Content-Type", "text/plain"), ("Retry-After", "1")]
        return f"{self.code} {self.reason}", headers, TOO_MANY


class _PacedParser(HTTPRequestParser):
    """waitress' request parser, which asks the door once a request has been read."""

    def __init__(self, adj: Any, channel: "_PacedChannel") -> None:
        super().__init__(adj)
        self._channel = channel
        self._checked = False

    def received(self, data: bytes) -> int:
        consumed: int = super().received(data)
        if self.completed and not self._checked:
            self._checked = True
            if not self.empty and self.error is None:
                self._channel.at_the_door(self)
        return consumed


class _PacedChannel(HTTPChannel):
    """One client connection, whose requests pass the server's `ClientPace`."""

    def __init__(self, server: Any, sock: Any, addr: Any, adj: Any, map: Any = None) -> None:
        super().__init__(server, sock, addr, adj, map)
        self.parser_class = lambda adj: _PacedParser(adj, self)
        self._client = str(addr[0]) if isinstance(addr, tuple) and addr else str(addr or "")
        if self._crowded() and server.client_pace.spent(self._client):
            self.will_close = True  # closed on the I/O loop's next turn, nothing read

    def _crowded(self) -> bool:
        """Whether three quarters of the connections waitress allows are open."""
        return len(self.server.active_channels) * 4 >= self.adj.connection_limit * 3

    def at_the_door(self, request: HTTPRequestParser) -> None:
        """Let `request` in, or refuse it: here (I/O thread) when nothing else is in flight on
        this connection, else through waitress' error task, in order."""
        if not is_paced(request.command, request.path):
            return
        if self.server.client_pace.admit(self._client):
            return
        keeps_open = (
            request.version == "1.1" and request.headers.get("CONNECTION", "").lower() != "close"
        )
        if self.requests or not keeps_open:
            request.error = _TooMany("")
            return
        # The channel drops an "empty" request: it never becomes a task.
        request.empty = True
        request.close()
        closing = self._crowded()
        self.write_soon(_refusal(head_only=request.command == "HEAD", closing=closing))
        if closing:
            self.close_when_flushed = True


def _refusal(head_only: bool, closing: bool) -> bytes:
    """An HTTP/1.1 429 answer with Retry-After, keeping the connection open unless `closing`."""
    lines = [
        "HTTP/1.1 429 Too Many Requests",
        f"Content-Length: {len(TOO_MANY)}",
        "Content-Type: text/plain",
        "Retry-After: 1",
        f"Date: {formatdate(usegmt=True)}",
        "Server: tandem",
        *(["Connection: close"] if closing else []),
    ]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    return head if head_only else head + TOO_MANY


def paced_server(
    wsgi_app: Any, host: str, port: int, threads: int, pace: ClientPace | None = None
) -> Any:
    """A waitress server bound to host:port whose every connection passes `pace` (a new
    ClientPace when None). OSError when the port cannot be had."""
    server = create_server(
        wsgi_app,
        host=host,
        port=port,
        threads=threads,
        ident="tandem",
        # Slack's bodies are a few kB: a larger body is answered 413 before it is read, rather
        # than spooled to disk for bot.request_gate to refuse.
        max_request_body_size=MAX_BODY_BYTES,
    )
    server.client_pace = pace or ClientPace()
    server.channel_class = _PacedChannel
    return server
