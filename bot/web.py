"""HTTP mode: Slack requests at POST /slack/events and a health check, under waitress."""

import json
import logging
import threading
from collections.abc import Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.core.context import Tandem
from bot.request_gate import check_signed, refuse

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class TandemWSGI:
    """The WSGI application: Bolt for Slack's requests, and `/healthz` for load balancers.

    Slack's requests pass the signature check in bot.request_gate before Bolt sees them.
    """

    def __init__(self, app: App, ctx: Tandem) -> None:
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self._ctx = ctx

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self._health(start_response)
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            refusal = check_signed(environ, self._ctx.settings.slack_signing_secret)
            if refusal is not None:
                return refuse(environ, refusal, start_response)
        return self._slack(environ, start_response)

    def _health(self, start_response: Any) -> Iterable[bytes]:
        try:
            with self._ctx.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            status, body = "200 OK", {"ok": True, "database": "ok"}
        except Exception as error:  # a health check reports, it does not raise
            log.warning("health check: database unavailable: %s", error)
            status, body = "503 Service Unavailable", {"ok": False, "database": "unavailable"}
        payload = json.dumps(body).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]


def serve_http(app: App, ctx: Tandem, host: str, port: int, threads: int = 8) -> None:
    """Serve until interrupted, with waitress (a production WSGI server, unlike App.start())."""
    from waitress import serve

    log.info("Tandem is listening on http://%s:%s%s", host, port, EVENTS_PATH)
    serve(TandemWSGI(app, ctx), host=host, port=port, threads=threads, ident="tandem")


class BackgroundServer:
    """A WSGI app served by waitress on a thread of this process (tests, demo, benchmarks)."""

    def __init__(self, wsgi_app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        from waitress.server import create_server

        self._server = create_server(wsgi_app, host=host, port=port, threads=8, ident="tandem")
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
