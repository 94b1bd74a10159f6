"""HTTP mode: Slack requests at POST /slack/events, a health check, the metrics and calendar
feeds, under waitress; in Socket Mode all but Slack's requests."""

import hmac
import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.config import SettingsError
from bot.core.context import Tandem
from bot.meetings.calendar_feed import FEED_PATH, read_feed
from bot.request_gate import check_signed, refuse
from bot.slack_first import SlackFirst
from bot.web_door import EVENTS_PATH, ClientPace, is_health_check, paced_server
from storage.db import reading

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"


class Health:
    """`GET /healthz`: healthy once Slack has answered (start-up check, or the Socket Mode
    connection is open) and while the database answers."""

    def __init__(self, ctx: Tandem, slack_ready: Callable[[], bool] | None = None) -> None:
        self._ctx = ctx
        self.slack_ready: Callable[[], bool] = slack_ready or (lambda: True)

    def __call__(self, start_response: Any) -> Iterable[bytes]:
        try:
            # A read that never queues behind a long write (a tick, a launch's clicks).
            with reading(self._ctx.engine) as connection:
                connection.execute(text("SELECT 1"))
            database = "ok"
        except Exception as error:  # a health check reports, it does not raise
            log.warning("health check: database unavailable: %s", error)
            database = "unavailable"
        slack = "ok" if self.slack_ready() else "connecting"
        healthy = database == "ok" and slack == "ok"
        status = "200 OK" if healthy else "503 Service Unavailable"
        payload = json.dumps({"ok": healthy, "database": database, "slack": slack}).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]


class MetricsEndpoint:
    """`GET /metrics`: this replica's numbers in Prometheus' text format (bot.core.metrics);
    with METRICS_TOKEN set, only for `Authorization: Bearer <token>`."""

    def __init__(self, ctx: Tandem) -> None:
        self._ctx = ctx

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"Use GET.\n", _ALLOW_GET)
        token = self._ctx.settings.metrics_token
        if token is not None and not _bearer_matches(environ, token):
            return _plain(
                start_response,
                "401 Unauthorized",
                b"Metrics need Authorization: Bearer <METRICS_TOKEN>.\n",
                [("WWW-Authenticate", 'Bearer realm="metrics"')],
            )
        payload = self._ctx.metrics.exposition()
        start_response(
            "200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(payload)))]
        )
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [payload]


class CalendarEndpoint:
    """`GET /calendar/<token>.ics`: a person's private calendar feed (bot/meetings/
    calendar_feed.py). Every miss is the same 404, after the same hash and lookup."""

    # Far longer than a token (43 characters): nothing that long is looked up.
    LONGEST = 200

    def __init__(self, ctx: Tandem) -> None:
        self._ctx = ctx

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"Use GET.\n", _ALLOW_GET)
        name = environ.get("PATH_INFO", "")[len(FEED_PATH) :]
        content = None
        if len(name) <= self.LONGEST:
            token = name.removesuffix(".ics")
            try:
                content = read_feed(self._ctx, token)
            except SQLAlchemyError as error:  # the calendar app asks again later
                log.warning("calendar feed: database unavailable: %s", type(error).__name__)
                return _plain(
                    start_response,
                    "503 Service Unavailable",
                    b"Try again later.\n",
                    [("Retry-After", "300")],
                )
            if not name.endswith(".ics"):
                content = None
        if content is None:
            return _plain(start_response, "404 Not Found", b"No such calendar.\n")
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Length", str(len(content))),
                # Private to its owner: no shared cache may keep it.
                ("Cache-Control", "private, no-cache"),
            ],
        )
        return [] if method == "HEAD" else [content]


_ALLOW_GET = [("Allow", "GET, HEAD")]


def _bearer_matches(environ: dict[str, Any], token: str) -> bool:
    """Whether the request carries `Authorization: Bearer <token>`, compared in constant time
    (bytes, so that any header a client sends can be compared)."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("latin-1", "replace"), token.encode())


def _plain(
    start_response: Any, status: str, body: bytes, headers: list[tuple[str, str]] | None = None
) -> Iterable[bytes]:
    start_response(
        status,
        [("Content-Type", "text/plain"), ("Content-Length", str(len(body))), *(headers or [])],
    )
    return [body]


class _Served:
    """What both modes serve on PORT besides the health check: metrics and calendar feeds
    (each client's budget is kept at the door, bot.web_door)."""

    def __init__(self, ctx: Tandem) -> None:
        self._metrics = MetricsEndpoint(ctx)
        self._calendar = CalendarEndpoint(ctx)

    def route(self, environ: dict[str, Any]) -> Any:
        """The endpoint for this request's path, or None (not ours)."""
        path = environ.get("PATH_INFO", "")
        if path == METRICS_PATH:
            return self._metrics
        if path.startswith(FEED_PATH):
            return self._calendar
        return None


def _is_health_check(environ: dict[str, Any]) -> bool:
    return is_health_check(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))


class TandemWSGI:
    """The WSGI application: Bolt for Slack's requests, `/healthz` for load balancers,
    `/metrics` for Prometheus and `/calendar/<token>.ics` for calendar apps.

    Slack's requests pass the signature check in bot.request_gate before Bolt sees them.
    """

    def __init__(self, app: App, ctx: Tandem, health: Health | None = None) -> None:
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self._ctx = ctx
        self.health = health or Health(ctx)
        self._served = _Served(ctx)
        self.slack_first = SlackFirst()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if _is_health_check(environ):
            return self.health(start_response)
        served = self._served.route(environ)
        if served is not None:
            self.slack_first.wait_for_slack()
            return served(environ, start_response)
        if environ.get("PATH_INFO", "") == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            refusal = check_signed(environ, self._ctx.settings.slack_signing_secret)
            if refusal is not None:
                return refuse(environ, refusal, start_response)
            with self.slack_first.answering_slack():
                return self._slack(environ, start_response)
        return self._slack(environ, start_response)


class HealthOnlyWSGI:
    """Socket Mode's HTTP side: `/healthz` for liveness probes, `/metrics` and calendar feeds."""

    def __init__(self, health: Health, ctx: Tandem) -> None:
        self.health = health
        self._served = _Served(ctx)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if _is_health_check(environ):
            return self.health(start_response)
        served = self._served.route(environ)
        if served is not None:
            return served(environ, start_response)
        body = b"Tandem runs in Socket Mode: Slack reaches it over its own connection.\n"
        return _plain(start_response, "404 Not Found", body)


# Threads answering HTTP. A Slack request holds its thread until its listener has acknowledged
# it (bot.app.LISTENER_THREADS), and on a launch day Slack sends dozens at once: with
# waitress' usual 8 they queue for a thread before Bolt sees them (bench launch).
HTTP_THREADS = 24


def listen(
    wsgi_app: Any,
    host: str,
    port: int,
    threads: int = HTTP_THREADS,
    pace: ClientPace | None = None,
) -> Any:
    """A waitress server bound to host:port (serve it with `.run()`), each client within its
    budget (bot.web_door); a port that cannot be had is a SettingsError naming PORT."""
    try:
        return paced_server(wsgi_app, host, port, threads, pace)
    except OSError as error:
        raise SettingsError(
            f"Tandem cannot listen on {host}:{port} ({error.strerror or error}): another program, "
            "perhaps another tandem serve, is using it. Stop it, or set PORT in .env to a free "
            "port."
        ) from None


class BackgroundServer:
    """A WSGI app served by waitress on a thread of this process (tests, demo, benchmarks)."""

    def __init__(
        self,
        wsgi_app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        pace: ClientPace | None = None,
    ) -> None:
        self._server = paced_server(wsgi_app, host, port, HTTP_THREADS, pace)
        self.port: int = self._server.effective_port
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tandem-http", daemon=True)
        self.url = f"http://{host}:{self._server.effective_port}{EVENTS_PATH}"

    def _run(self) -> None:
        try:
            self._server.run()
        except OSError:
            if not self._stopping.is_set():  # closing the socket under select() is expected
                raise

    def start(self) -> "BackgroundServer":
        """Start answering requests."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and wait for the thread."""
        self._stopping.set()
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        self._server.close()
        # The loop notices the closed socket at its next select() timeout (up to a second);
        # nothing is served after close(), so there is no need to wait for that.
        self._thread.join(0.1)
