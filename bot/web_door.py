"""The door of Tandem's HTTP server: one client asking too often is refused before any of
Tandem's code runs for it, and a client that ignores the refusal waits for its answers.

Everything on PORT but Slack's requests and the health check (metrics, calendar feeds, the
OAuth pages, unknown paths) is within a per-address budget (`ClientPace`). The check runs in
waitress' I/O thread as soon as a request has been read: a request over budget is answered
429 there, with no task for a worker thread, no WSGI environ and no database read.

A refusal says "Retry-After: 1". A client that asks again within that second has its next
refusal held a second before it is sent, twice as long each time it does so again (up to
LONGEST_HOLD), and nothing more is read from that connection meanwhile. A client asking a
thousand times a second on dozens of connections then gets an answer every few seconds on
each, instead of a thousand refusals a second costing the machine a tenth of a core; a client
that waits as told is never held.

waitress stops accepting connections at its limit (100), and Slack's requests then wait
with everyone else's. So when three quarters of the connections are open, a client over its
budget keeps none: a new connection of its is closed at once, and one it was refused on is
closed after the answer. Nobody else's connections are touched.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
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
RETRY_AFTER = 1  # seconds, as the refusal's Retry-After says
# A refusal's headers besides its length, whichever way it is sent.
REFUSAL_HEADERS = (("Content-Type", "text/plain"), ("Retry-After", str(RETRY_AFTER)))
HELD_REFUSAL_LATENESS = 0.1  # seconds at most after its time
LONGEST_HOLD = 8  # seconds: under the 10 s a client's timeout commonly is


@dataclass(slots=True)
class _Bucket:
    """One client's budget: tokens as of `at`, and its refusals."""

    tokens: float
    at: float
    refused_at: float | None = None
    ignored: int = 0  # refusals in a row it asked again within Retry-After of


class ClientPace:
    """How often one client (its address) may ask for what is not Slack's: a token bucket
    per address, `per_second` with bursts of `burst` (twice `per_second` unless given), and
    how long a client that ignores its refusals waits for the next: `hold`, doubled each time
    it ignores one again, up to `longest_hold`.

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
        hold: float = RETRY_AFTER,
        longest_hold: float = LONGEST_HOLD,
    ) -> None:
        self.per_second, self.remembered = per_second, remembered
        self.hold, self.longest_hold = hold, longest_hold
        self.burst = float(burst if burst is not None else 2 * per_second)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def admit(self, client: str) -> float | None:
        """Take one request's token for `client`: None when it had one; else its request is
        refused, and this says how long the refusal is held: 0 when the client waited as
        told since its last refusal, else `hold`, doubled for each one it ignored in a row."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(client, None) or _Bucket(self.burst, now)
            self._buckets[client] = bucket
            while len(self._buckets) > self.remembered:
                self._buckets.popitem(last=False)
            bucket.tokens, bucket.at = self._tokens(bucket, now), now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return None
            waited = bucket.refused_at is None or now - bucket.refused_at >= RETRY_AFTER
            bucket.refused_at = now
            bucket.ignored = 0 if waited else bucket.ignored + 1
            if not bucket.ignored:
                return 0.0
            return min(self.longest_hold, self.hold * 2 ** (bucket.ignored - 1))

    def spent(self, client: str) -> bool:
        """Whether `client` has no request left in its budget now (nothing is taken)."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(client)
            return bucket is not None and self._tokens(bucket, now) < 1

    def _tokens(self, bucket: _Bucket, now: float) -> float:
        """What `bucket` holds at `now`."""
        return min(self.burst, bucket.tokens + (now - bucket.at) * self.per_second)


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
        return f"{self.code} {self.reason}", list(REFUSAL_HEADERS), TOO_MANY


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


@dataclass
class _Refusal:
    """A 429 to send on a connection, at once or once `due` (time.monotonic) has come."""

    version: str
    head_only: bool
    closing: bool  # the connection ends after it
    due: float = 0.0

    def answer(self) -> bytes:
        """The answer's bytes, with Retry-After, and Connection: close when `closing`."""
        lines = [
            f"HTTP/{self.version} 429 Too Many Requests",
            f"Content-Length: {len(TOO_MANY)}",
            *(f"{name}: {value}" for name, value in REFUSAL_HEADERS),
            f"Date: {formatdate(usegmt=True)}",
            "Server: tandem",
            *(["Connection: close"] if self.closing else []),
        ]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        return head if self.head_only else head + TOO_MANY


class _PacedChannel(HTTPChannel):
    """One client connection, whose requests pass the server's `ClientPace`."""

    def __init__(self, server: Any, sock: Any, addr: Any, adj: Any, map: Any = None) -> None:
        super().__init__(server, sock, addr, adj, map)
        self.parser_class = lambda adj: _PacedParser(adj, self)
        self._client = str(addr[0]) if isinstance(addr, tuple) and addr else str(addr or "")
        self._held: _Refusal | None = None
        if self._crowded() and server.client_pace.spent(self._client):
            self.will_close = True  # closed on the I/O loop's next turn, nothing read

    def _crowded(self) -> bool:
        """Whether three quarters of the connections waitress allows are open."""
        return len(self.server.active_channels) * 4 >= self.adj.connection_limit * 3

    def readable(self) -> bool:
        """As waitress', but nothing is read while a refusal is held."""
        return self._held is None and bool(super().readable())

    def writable(self) -> bool:
        """As waitress', and a held refusal whose time has come."""
        return self._held_is_due() or bool(super().writable())

    def handle_write(self) -> None:
        """Send a held refusal once its time has come, then whatever waitress has to send."""
        if self._held is not None and self._held_is_due():
            refusal, self._held = self._held, None
            self._send(refusal)
        super().handle_write()

    def _held_is_due(self) -> bool:
        return self._held is not None and self._held.due <= time.monotonic()

    def at_the_door(self, request: HTTPRequestParser) -> None:
        """Let `request` in, or refuse it: here (I/O thread) when nothing else is in flight on
        this connection, at once or held; else through waitress' error task, in order."""
        if self._held is not None:
            # Sent behind a held refusal without waiting for it: dropped, and the connection
            # ends with the refusal (a client may resend what a closed connection left).
            self._drop(request)
            self._held.closing = True
            return
        if not is_paced(request.command, request.path):
            return
        held = self.server.client_pace.admit(self._client)
        if held is None:
            return
        if self.requests:
            request.error = _TooMany("")
            return
        self._drop(request)
        keeps_open = (
            request.version == "1.1" and request.headers.get("CONNECTION", "").lower() != "close"
        )
        refusal = _Refusal(
            version=request.version,
            head_only=request.command == "HEAD",
            closing=not keeps_open or self._crowded(),
        )
        if held:
            refusal.due = time.monotonic() + held
            self._held = refusal
        else:
            self._send(refusal)

    def _drop(self, request: HTTPRequestParser) -> None:
        """Make `request` one the channel drops: an "empty" request never becomes a task."""
        request.empty = True
        request.close()

    def _send(self, refusal: _Refusal) -> None:
        self.write_soon(refusal.answer())
        if refusal.closing:
            self.close_when_flushed = True


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
    # A held refusal is sent on the I/O loop's first turn after its time: turns come at least
    # this often. (waitress' setting takes whole seconds and would make 0.1 a busy loop.)
    server.adj.asyncore_loop_timeout = HELD_REFUSAL_LATENESS
    server.client_pace = pace or ClientPace()
    server.channel_class = _PacedChannel
    return server
