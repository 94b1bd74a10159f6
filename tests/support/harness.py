"""Tandem running for real, over HTTP, against the Slack emulator, with a pinned clock."""

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from bot.app import LISTENER_THREADS, build_app, build_tandem
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import Tandem
from bot.scheduler import DeliveryWorker, TickReport, run_due
from bot.web import BackgroundServer, TandemWSGI
from devkit.emulator import SlackDriver, SlackEmulator

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
TEAM_ID = "T0TANDEM"
CELEBRATIONS_CHANNEL = "CCELEBRATE"
# A Monday in winter, before Europe's and America's clocks change in March, at an hour when
# the mentor (Berlin 15:00), the mentees (New York 09:00, Lisbon 14:00) and the admin (London)
# are outside quiet hours, so messages to them go out at once unless a test says otherwise.
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

# People every test can use; timezones differ on purpose.
MENTOR, MENTEE, OUTSIDER, ADMIN = "UMENTOR01", "UMENTEE01", "UOUTSIDER1", "UADMIN001"
OTHER_MENTEE = "UMENTEE02"
BOT_USER, DEACTIVATED = "UBOTUSER1", "UGONE0001"
PEOPLE = {
    MENTOR: ("maya", "Europe/Berlin"),
    MENTEE: ("noah", "America/New_York"),
    OTHER_MENTEE: ("ines", "Europe/Lisbon"),
    OUTSIDER: ("oscar", "Asia/Tokyo"),
    ADMIN: ("ada", "Europe/London"),
}


def add_default_people(emulator: SlackEmulator) -> None:
    """The cast: a mentor, two mentees, an outsider, an admin, a bot and a deactivated user."""
    for user_id, (name, tz) in PEOPLE.items():
        emulator.add_user(user_id, name, tz=tz, real_name=name.title(), is_admin=user_id == ADMIN)
    emulator.add_user(BOT_USER, "helperbot", is_bot=True)
    emulator.add_user(DEACTIVATED, "gone", deleted=True)
    emulator.add_channel(CELEBRATIONS_CHANNEL, "celebrations")


class ListenerPool(ThreadPoolExecutor):
    """The executor Bolt runs listeners on, as many threads as `tandem serve` gives them
    (bot.app.LISTENER_THREADS), which can tell when every listener has finished: what a
    listener does after its ack is then all in Slack."""

    def __init__(self) -> None:
        super().__init__(max_workers=LISTENER_THREADS, thread_name_prefix="listener")
        self._busy = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._changed:
            self._busy += 1

        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._changed:
                    self._busy -= 1
                    self._changed.notify_all()

        try:
            return super().submit(run)
        except RuntimeError:  # shut down: it will never run
            with self._changed:
                self._busy -= 1
            raise

    def wait_idle(self, timeout: float = 20.0) -> bool:
        """Block until no listener is running or waiting (False if `timeout` passed first)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._busy == 0, timeout)


@dataclass
class Harness:
    """Everything a test needs to act as Slack and as people, and to look at the results."""

    ctx: Tandem
    emulator: SlackEmulator
    slack: SlackDriver
    clock: FrozenClock
    app_url: str
    _worker: DeliveryWorker | None = field(default=None, repr=False)
    _listeners: ListenerPool | None = field(default=None, repr=False)

    @property
    def team_id(self) -> str:
        return TEAM_ID

    def session(self) -> AbstractContextManager[Session]:
        """A committed-on-exit session on the test's database."""
        return self.ctx.session()

    def run_due(self, at: datetime | None = None) -> TickReport:
        """Move the clock to `at` (if given) and do all due work, as `tandem run-due` does."""
        if at is not None:
            self.clock.set(at)
        report = run_due(self.ctx, self.clock.now())
        if self._worker is not None:
            # The background sender may have claimed some of what was due while this ran:
            # let it finish, so that what the tick found is in Slack when it returns.
            self._worker.settle()
        return report

    @property
    def delivering(self) -> bool:
        """Whether the background sender is on (stop_delivery turns it off)."""
        return self._worker is not None

    def settle_listeners(self) -> None:
        """Wait until the listeners of every request so far have finished their work."""
        if self._listeners is not None:
            self._listeners.wait_idle()

    def stop_delivery(self) -> None:
        """Stop sending in the background, so the test alone decides when the outbox is sent."""
        if self._worker is not None:
            self.ctx.on_outbox_changed = lambda: None
            self._worker.stop()
            # stop() waits 5 s; a pass sending hundreds of messages goes on longer, and must
            # not send (nor hold the database) into the rest of the test or the next one.
            self._worker.settle()
            self._worker = None


def settings_for_test(database_url: str, emulator: SlackEmulator, **overrides: object) -> Settings:
    """Settings for a test run against the emulator."""
    values: dict[str, object] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "database_url": database_url,
        "slack_api_url": emulator.url,
        "admins": frozenset({ADMIN}),
        "celebrations_channel": None,
        "default_timezone": "UTC",
        "auto_migrate": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


class AppServer:
    """An HTTP server on a free port that serves one test's Tandem at a time.

    Starting and stopping a server for every test costs more than the app it serves; a suite
    keeps one and mounts each test's app on it. Between tests (nothing mounted) it answers 503.
    """

    def __init__(self) -> None:
        self._app: TandemWSGI | None = None
        self._server = BackgroundServer(self._dispatch).start()
        self.url = self._server.url

    def mount(self, app: TandemWSGI | None) -> None:
        """Serve `app` from now on (None: serve nothing)."""
        self._app = app

    def stop(self) -> None:
        self._server.stop()

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        app = self._app
        if app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no test is running"]
        return app(environ, start_response)


def running_tandem(
    database_url: str,
    emulator: SlackEmulator,
    live_delivery: bool = True,
    server: AppServer | None = None,
    **overrides: object,
) -> Iterator[Harness]:
    """Start Tandem serving HTTP (on `server` if given, else on a server of its own); yields
    the harness, then shuts it all down.

    Listeners run on a pool of the harness's own, production's size, so shutting down waits
    for a listener still at work: nothing of this test runs on into the next one.
    """
    clock = FrozenClock(START)
    ctx = build_tandem(
        settings_for_test(database_url, emulator, **overrides), clock=clock, migrate=False
    )
    listeners = ListenerPool()
    app = build_app(ctx, listener_executor=listeners)
    serving = server or AppServer()
    serving.mount(TandemWSGI(app, ctx))
    worker = None
    if live_delivery:
        worker = DeliveryWorker(ctx, idle_seconds=0.5)
        ctx.on_outbox_changed = worker.kick
        worker.start()
    app_url = serving.url
    harness = Harness(
        ctx=ctx,
        emulator=emulator,
        clock=clock,
        app_url=app_url,
        slack=SlackDriver(app_url, SIGNING_SECRET, emulator),
        _worker=worker,
        _listeners=listeners,
    )
    try:
        yield harness
    finally:
        harness.stop_delivery()
        serving.mount(None)
        if server is None:
            serving.stop()
        listeners.shutdown(wait=True)
        ctx.engine.dispose()
