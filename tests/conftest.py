"""Fixtures: a fresh database per test on SQLite *and* PostgreSQL, the emulator, running Tandem.

Under pytest-xdist each worker is its own process with its own SQLite files (under its own
tmp_path), its own PostgreSQL database, its own emulator and its own HTTP server. The emulator
and the server are started once per worker and made new for each test (`SlackEmulator.reset`,
`AppServer.mount`); everything else a test sees (settings, clock, Bolt app, background sender,
database contents) is built for that test alone.
"""

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.emulator import SlackEmulator
from tests.support import databases
from tests.support.harness import (
    BOT_TOKEN,
    TEAM_ID,
    AppServer,
    Harness,
    add_default_people,
    running_tandem,
)

pytest_plugins = ["tests.support.figures"]

BACKENDS = ["sqlite", "postgres"]
# Tests that stop or restart PostgreSQL get a server nobody else uses (.ci/with-postgres
# starts it), one test at a time across all workers (a file lock).
RESTARTS_POSTGRES = "restarts_postgres"


def pytest_configure(config: pytest.Config) -> None:
    # A shell starts a background job (`make test &`) with Ctrl-C ignored, and a `tandem`
    # subprocess would inherit that: the tests of what Ctrl-C does need it answered.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.build_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


def _postgres_database(admin_url: str | None) -> Iterator[str | None]:
    """This process's migrated database on the server at `admin_url` (None without one)."""
    if admin_url is None:
        yield None
        return
    name = databases.build_postgres_database(admin_url)
    yield databases.database_url_for(admin_url, name)
    databases.drop_postgres(admin_url, name)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """This worker's migrated database on the suite's server (None without a server).

    That server must stay up for the whole run: a restart would cut the connections of every
    worker's tests. This is checked when the worker finishes.
    """
    admin_url = databases.postgres_admin_url()
    started = databases.server_started_at(admin_url) if admin_url else None
    yield from _postgres_database(admin_url)
    if admin_url:
        assert databases.server_started_at(admin_url) == started, (
            "the suite's PostgreSQL server was restarted during the run: a test that stops it "
            f"must be marked {RESTARTS_POSTGRES}"
        )


@pytest.fixture(scope="session")
def restartable_postgres_database() -> Iterator[str | None]:
    """A migrated database on the server that tests marked restarts_postgres may restart (None
    without that server: they then run on the suite's and tests/reliability/faults.py refuses
    to restart it). Made while the test that first asks for it holds the server's lock."""
    admin_url = databases.restartable_postgres_admin_url()
    if admin_url is None:
        yield None
        return
    name = databases.build_postgres_database(admin_url)
    yield databases.database_url_for(admin_url, name)
    with databases.restartable_postgres_lock(admin_url):
        databases.drop_postgres(admin_url, name)


@pytest.fixture
def restartable_postgres_turn() -> Iterator[None]:
    """The restartable server to this test alone, whichever worker runs it, until it ends."""
    admin_url = databases.restartable_postgres_admin_url()
    if admin_url is None:
        yield
        return
    with databases.restartable_postgres_lock(admin_url):
        yield


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: every storage test runs once on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        yield databases.sqlite_copy(template, tmp_path)
        return
    url = request.getfixturevalue("postgres_database")
    if request.node.get_closest_marker(RESTARTS_POSTGRES) and url is not None:
        request.getfixturevalue("restartable_postgres_turn")
        url = request.getfixturevalue("restartable_postgres_database") or url
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"CI needs PostgreSQL: {databases.POSTGRES_ENV} is not set "
                "(run the tests through .ci/with-postgres)"
            )
        pytest.skip(f"no PostgreSQL ({databases.POSTGRES_ENV} unset; use `make test`)")
    databases.reset_postgres(url)
    yield url


@pytest.fixture(scope="session")
def shared_emulator() -> Iterator[SlackEmulator]:
    """This worker's emulator server; tests get it through `emulator`, reset."""
    with SlackEmulator(team_id=TEAM_ID, token=BOT_TOKEN) as emulator:
        yield emulator


@pytest.fixture
def emulator(shared_emulator: SlackEmulator) -> SlackEmulator:
    """The Slack Web API emulator, as new, with the default cast of people."""
    shared_emulator.reset()
    add_default_people(shared_emulator)
    return shared_emulator


@pytest.fixture(scope="session")
def app_server() -> Iterator[AppServer]:
    """This worker's HTTP server, serving the Tandem of the test running now."""
    server = AppServer()
    yield server
    server.stop()


@pytest.fixture
def tandem(database_url: str, emulator: SlackEmulator, app_server: AppServer) -> Iterator[Harness]:
    """Tandem serving HTTP against the emulator, delivering in the background like production."""
    yield from running_tandem(database_url, emulator, server=app_server)
