"""`tandem serve`: check the credentials, then serve Slack (HTTP or Socket Mode) with `/healthz`
on PORT in both modes, the delivery worker and the minute tick."""

import gc
import logging
import signal
import sys
from typing import Any

from bot.core.config import Settings, SettingsError
from bot.credentials import check_app_token, check_bot_token

log = logging.getLogger("tandem")

# How often the Socket Mode client pings Slack. A connection closed by Slack is re-opened at
# once; one lost without a close (a network blip) is noticed after four unanswered pings.
SOCKET_PING_SECONDS = 3


def serve(settings: Settings, *, host: str, port: int, run_scheduler: bool = True) -> int:
    """Run until interrupted; a setting or credential that is wrong is a SettingsError first."""
    from bot.app import build_app, build_tandem
    from bot.scheduler import DeliveryWorker, start_scheduler
    from bot.web import Health, HealthOnlyWSGI, TandemWSGI, listen
    from bot.web_door import ClientPace
    from storage.queries.workspaces import mark_installed

    settings.require_slack()
    identity = None if settings.oauth else check_bot_token(settings)
    if settings.socket_mode:
        check_app_token(settings)
    ctx = build_tandem(settings)
    if identity is not None:
        with ctx.session() as session:
            mark_installed(session, identity.team_id, ctx.clock.now())
    app = build_app(ctx)
    health = Health(ctx, slack_ready=lambda: False)
    wsgi = HealthOnlyWSGI(health, ctx) if settings.socket_mode else TandemWSGI(app, ctx, health)
    server = listen(wsgi, host, port, pace=ClientPace(settings.client_requests_per_second))
    freeze_what_startup_built()
    worker = DeliveryWorker(ctx)
    ctx.on_outbox_changed = worker.kick
    socket_mode: Any = None
    scheduler = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        worker.start()
        scheduler = start_scheduler(ctx) if run_scheduler else None
        where = f"http://{host}:{server.effective_port}"
        if settings.socket_mode:
            socket_mode = _connect_socket_mode(app, settings)
            health.slack_ready = socket_mode.client.is_connected
            log.info("Tandem is connected to Slack in Socket Mode; health at %s/healthz", where)
        else:
            health.slack_ready = lambda: True
            log.info("Tandem is listening for Slack at %s/slack/events", where)
        server.run()  # returns on Ctrl-C or SIGTERM
    finally:
        if socket_mode is not None:
            socket_mode.close()
        server.close()
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        worker.stop()
    return 0


def freeze_what_startup_built() -> None:
    """Leave the objects built so far (modules, the app, its listeners) out of every later
    garbage collection.

    A full collection walks every object the process holds: with Bolt, SQLAlchemy, slack_sdk
    and the matching libraries loaded it stopped every thread for about 90 ms (once in ten
    seconds under a flood of requests, `bench abuse`), a stall every request in flight waited
    out. Frozen, those objects are never walked again; what requests make is collected as
    before.
    """
    gc.collect()
    gc.freeze()


def _connect_socket_mode(app: Any, settings: Settings) -> Any:
    """Open the Socket Mode connection (the client re-opens it whenever it drops)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    handler = SocketModeHandler(
        app, settings.slack_app_token, ping_interval=SOCKET_PING_SECONDS, concurrency=10
    )
    try:
        handler.connect()
    except (SlackApiError, OSError) as error:
        handler.close()
        raise SettingsError(
            "Tandem cannot start: opening the Socket Mode connection with SLACK_APP_TOKEN "
            f"failed ({error}). Check that Socket Mode is turned on for your app (“Socket Mode” "
            "page) and that the token has connections:write."
        ) from None
    return handler
