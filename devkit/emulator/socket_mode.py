"""Slack's Socket Mode endpoint, on the emulator: `apps.connections.open` hands out `ws://` URLs
to it, each payload goes to one open connection as an envelope, and the app must ack it.

The WebSocket protocol itself is the `websockets` library's (its threaded server), not ours.
What Slack does on top of it is here: a single-use ticket in the URL, a `hello` on connect,
envelopes (`slash_commands`, `interactive`, `events_api`) with an `envelope_id`, acks matched
back by that id, `disconnect` before a planned close, and connections that simply drop.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

# Slack gives up on an envelope that was not acknowledged within three seconds.
ACK_DEADLINE = 3.0
MAX_CONNECTIONS = 10  # per app, as Slack allows


@dataclass
class Ack:
    """The app's answer to one envelope."""

    envelope_id: str
    kind: str
    payload: Any | None  # what the app put in the ack (a slash command's reply, view errors)
    elapsed: float  # seconds from sending the envelope to receiving the ack
    connection: int

    @property
    def late(self) -> bool:
        return self.elapsed > ACK_DEADLINE


@dataclass
class _Outstanding:
    kind: str
    sent_at: float
    connection: int
    done: threading.Event = field(default_factory=threading.Event)
    ack: Ack | None = None


class SocketModeEndpoint:
    """The WebSocket side of the emulator (started on the first `apps.connections.open`)."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self._lock = threading.Condition()
        self._tickets: set[str] = set()
        self._connections: dict[int, ServerConnection] = {}
        self._numbers = itertools.count(1)
        self._turn = itertools.count()
        self._outstanding: dict[str, _Outstanding] = {}
        self.acks: list[Ack] = []
        self.problems: list[str] = []  # what Slack would have refused (unknown envelope ids...)
        self.opened = 0  # connections ever opened (a re-open after a drop counts again)
        # How long a payload waits for the app to (re)open a connection before it is lost.
        self.connect_timeout = 30.0
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            self._server = serve(
                self._serve_connection,
                "127.0.0.1",
                0,
                process_request=self._check_ticket,
                ping_interval=None,  # the app pings; Slack does not insist
            )
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="slack-socket-mode", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("Socket Mode is not started")
        return int(self._server.socket.getsockname()[1])

    def new_url(self) -> str:
        """A fresh single-use `ws://` URL, as apps.connections.open returns."""
        self.start()
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # -- what tests do ------------------------------------------------------------------

    @property
    def connection_count(self) -> int:
        with self._lock:
            return len(self._connections)

    def wait_connected(self, count: int = 1, timeout: float = 15.0) -> None:
        """Block until at least `count` connections are open."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._connections) >= count, timeout):
                raise AssertionError(
                    f"no Socket Mode connection within {timeout}s "
                    f"({len(self._connections)} open, {self.opened} ever opened)"
                )

    def drop_connections(self, *, abrupt: bool = False) -> int:
        """Every open connection ends at once, without a `disconnect` first; returns how many.

        By default Slack's side closes them (a close frame, as when a server goes away);
        `abrupt` cuts the TCP connection with no close frame at all (a network blip), which a
        client only notices when its pings go unanswered.
        """
        with self._lock:
            connections = list(self._connections.values())
        for connection in connections:
            if abrupt:
                with contextlib.suppress(OSError):
                    connection.socket.shutdown(socket.SHUT_RDWR)
            else:
                connection.close(code=1011, reason="server going away")
        with self._lock:
            self._lock.wait_for(lambda: not self._connections, 5)
        return len(connections)

    def request_refresh(self) -> None:
        """What Slack does every few hours: `disconnect` (refresh_requested), then close."""
        with self._lock:
            connections = list(self._connections.values())
        message = {"type": "disconnect", "reason": "refresh_requested", "debug_info": {}}
        for connection in connections:
            try:
                connection.send(json.dumps(message))
            except ConnectionClosed:
                continue
            connection.close(code=1000, reason="refresh requested")

    def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool,
        connect_timeout: float | None = None,
        ack_timeout: float = 10.0,
        retry_attempt: int | None = None,
        retry_reason: str = "",
    ) -> Ack | None:
        """Send one envelope to one open connection and wait for its ack (None: none came).

        With no connection open, waits up to `connect_timeout` (default: the endpoint's) for the
        app to (re)open one, the way a payload is not lost while an app reconnects.
        """
        envelope_id = f"{secrets.token_hex(4)}-{secrets.token_hex(2)}-{secrets.token_hex(6)}"
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt or 0
            envelope["retry_reason"] = retry_reason
        deadline = time.monotonic() + (connect_timeout or self.connect_timeout)
        while True:
            number, connection = self._pick(deadline)
            outstanding = _Outstanding(kind, time.monotonic(), number)
            with self._lock:
                self._outstanding[envelope_id] = outstanding
            try:
                connection.send(json.dumps(envelope))
                break
            except ConnectionClosed:  # it dropped under us: try another (or the re-opened one)
                with self._lock:
                    self._outstanding.pop(envelope_id, None)
                    self._connections.pop(number, None)
                if time.monotonic() > deadline:
                    raise AssertionError("the app's Socket Mode connection kept dropping") from None
        outstanding.done.wait(ack_timeout)
        with self._lock:
            self._outstanding.pop(envelope_id, None)
        return outstanding.ack

    # -- internals ----------------------------------------------------------------------

    def _pick(self, deadline: float) -> tuple[int, ServerConnection]:
        with self._lock:
            remaining = max(deadline - time.monotonic(), 0)
            if not self._lock.wait_for(lambda: self._connections, remaining):
                raise AssertionError(
                    "the app has no Socket Mode connection open (it did not re-open one)"
                )
            numbers = sorted(self._connections)
            number = numbers[next(self._turn) % len(numbers)]
            return number, self._connections[number]

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._lock:
            if ticket not in self._tickets:
                return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or used ticket\n")
            if len(self._connections) >= MAX_CONNECTIONS:
                return connection.respond(HTTPStatus.TOO_MANY_REQUESTS, "too many connections\n")
            self._tickets.discard(ticket)
        return None

    def _serve_connection(self, connection: ServerConnection) -> None:
        number = next(self._numbers)
        with self._lock:
            self._connections[number] = connection
            self.opened += 1
            count = len(self._connections)
            self._lock.notify_all()
        try:
            hello = {
                "type": "hello",
                "num_connections": count,
                "debug_info": {"host": "emulator", "approximate_connection_time": 18060},
                "connection_info": {"app_id": self.app_id},
            }
            connection.send(json.dumps(hello))
            for message in connection:
                self._receive(number, message)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.pop(number, None)
                self._lock.notify_all()

    def _receive(self, number: int, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            self.problems.append(f"connection {number} sent something that is not JSON")
            return
        envelope_id = data.get("envelope_id") if isinstance(data, dict) else None
        with self._lock:
            outstanding = self._outstanding.get(envelope_id or "")
            if outstanding is None or outstanding.ack is not None:
                self.problems.append(f"ack for an unknown or already acked envelope: {data!r}")
                return
            ack = Ack(
                envelope_id=str(envelope_id),
                kind=outstanding.kind,
                payload=data.get("payload"),
                elapsed=time.monotonic() - outstanding.sent_at,
                connection=number,
            )
            outstanding.ack = ack
            self.acks.append(ack)
        outstanding.done.set()
