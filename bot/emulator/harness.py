"""Serve a Bolt ``App`` over real HTTP on 127.0.0.1 so a :class:`SlackDriver` can reach it.

Uses the standard library's WSGI server with one thread per request: Slack sends requests
concurrently (a button click can arrive while a command is still being acked), and a
single-threaded server would hide races that production would show.
"""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class BoltServer:
    """``with BoltServer(app) as server:`` → ``server.url`` is the Events/Interactivity URL."""

    def __init__(self, app: App, *, path: str = "/slack/events") -> None:
        self.app = app
        self.path = path
        self._server = make_server(
            "127.0.0.1",
            0,
            SlackRequestHandler(app, path=path),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}{self.path}"

    def start(self) -> BoltServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.01},
                name=f"bolt-app-{self._server.server_port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> BoltServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
