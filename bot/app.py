"""Building the Bolt app and the running Tandem around it."""

import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.assembly import assemble
from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.context import Tandem
from bot.core.metrics import Metrics, request_kind
from bot.core.slack_client import interactive_client
from bot.oauth_store import CALLBACK_OPTIONS, NOT_INSTALLED, oauth_stores
from handlers import register_listeners
from storage.db import create_db_engine
from storage.migrate import upgrade

log = logging.getLogger(__name__)

# Threads running listeners. With Bolt's `process_before_response=False` a request is
# acknowledged only once a listener thread picks it up, so on a launch day (hundreds of clicks
# a minute, each listener spending most of its time waiting on the database and Slack) Bolt's
# default of 5 makes clicks queue for their ack; 16 keep the acks prompt (bench launch).
LISTENER_THREADS = 16

# What the bot needs and no more; kept equal to manifest.yml (a test checks it). The *:history
# scopes let the outbox look for a message it may have posted before a crash instead of posting
# it twice (DMs, group DMs, and the celebrations channel, public or private).
BOT_SCOPES = (
    "channels:history",
    "chat:write",
    "commands",
    # The import modal takes a CSV file: files.info and its url_private, with the bot token.
    "files:read",
    "files:write",
    "groups:history",
    "im:history",
    "im:write",
    "mpim:history",
    "mpim:write",
    "users:read",
    # CSV imports name people by email (users.lookupByEmail).
    "users:read.email",
)


def build_tandem(
    settings: Settings, clock: Clock | None = None, migrate: bool | None = None
) -> Tandem:
    """The shared application state; applies migrations first unless told not to.

    With OAuth, bot tokens come from the installation store, for listeners and for the
    scheduler alike (run-due sends without any request to take a token from).
    """
    engine = create_db_engine(settings.database_url)
    if settings.auto_migrate if migrate is None else migrate:
        upgrade(engine)
    ctx = Tandem(settings=settings, engine=engine, clock=clock or SystemClock(), parts=assemble())
    if settings.oauth:
        installation_store, _ = oauth_stores(ctx)

        def token_for_team(team_id: str) -> str | None:
            return installation_store.bot_token_of(team_id)

        ctx.token_for_team = token_for_team
    return ctx


_environment_lock = threading.Lock()


@contextmanager
def _slack_environment_hidden() -> Iterator[None]:
    """While Bolt builds its App, hide every SLACK_* variable from it.

    `App()` and `OAuthSettings()` fill whatever they were not given from the environment, and
    switch to a file-based OAuth store when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are present,
    even empty. Everything Bolt needs is passed explicitly from our validated settings, so what
    the environment holds must not change what it builds.
    """
    with _environment_lock:
        hidden = {name: value for name, value in os.environ.items() if name.startswith("SLACK_")}
        for name in hidden:
            del os.environ[name]
        try:
            yield
        finally:
            os.environ.update(hidden)


def build_app(ctx: Tandem, listener_executor: Executor | None = None) -> App:
    """The Bolt app with every listener registered (on `listener_executor` when given, e.g.
    for the demo, which waits for work in flight; else on `LISTENER_THREADS` threads).

    Settings are passed explicitly and Bolt never sees the environment (see
    `_slack_environment_hidden`): it would otherwise silently switch to OAuth when client id
    and secret happen to be set, even to empty values.
    """
    if listener_executor is None:
        listener_executor = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    with _slack_environment_hidden():
        app = _bolt_app(ctx, listener_executor)
    register_listeners(app, ctx)
    return app


class _TimedApp(App):
    """Bolt's App, timing each request from its arrival to its acknowledgement.

    Both modes hand every request to `dispatch` (HTTP through the WSGI adapter, Socket Mode
    through its client), and `dispatch` returns as soon as the listener has acknowledged, so
    its duration is what Slack waits for.
    """

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._metrics = metrics

    def _init_context(self, req: BoltRequest) -> None:
        """Bolt's context, its per-request client counting Slack's answers under the
        workspace that received the request (Bolt copies the app client's handlers, made
        before any workspace was known). An org-wide install's event may name only the
        organisation: its answers count under the enterprise id."""
        super()._init_context(req)
        client = req.context.client
        team = req.context.team_id or req.context.enterprise_id
        if client is not None and team:
            client.retry_handlers = self._metrics.for_team(client.retry_handlers or [], team)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Bolt's dispatch, timed by kind of request (command, action, view, event)."""
        started = time.perf_counter()
        try:
            return super().dispatch(req)
        finally:
            body = req.body if isinstance(req.body, dict) else {}
            self._metrics.acknowledged(request_kind(body), time.perf_counter() - started)


def _bolt_app(ctx: Tandem, listener_executor: Executor | None) -> App:
    settings = ctx.settings
    # The workspace is not known here (OAuth: Bolt copies this client for each request).
    client = interactive_client(
        settings.slack_bot_token, settings.slack_api_url, ctx.metrics.slack_watch(team="")
    )
    if settings.oauth:
        installation_store, state_store = oauth_stores(ctx)
        client.token = None
        return _TimedApp(
            ctx.metrics,
            signing_secret=settings.slack_signing_secret or "",
            client=client,
            listener_executor=listener_executor,
            installation_store=installation_store,
            # Bolt asks Slack's auth.test about the stored token before every request: a round
            # trip ahead of each acknowledgement. The answer is kept per token instead; an
            # uninstall or a revocation deletes the installation (handlers/events), after which
            # no token is found to look up.
            authorize=InstallationStoreAuthorize(
                installation_store=installation_store,
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                client=client,
                logger=logging.getLogger("slack_bolt.App"),
                cache_enabled=True,
            ),
            user_facing_authorize_error_message=NOT_INSTALLED,
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=installation_store,
                state_store=state_store,
                callback_options=CALLBACK_OPTIONS,
            ),
        )
    return _TimedApp(  # the client carries the bot token
        ctx.metrics,
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        client=client,
        listener_executor=listener_executor,
        token_verification_enabled=False,
    )
