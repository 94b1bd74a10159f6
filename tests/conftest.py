"""Fixtures: a fresh database per test on SQLite *and* PostgreSQL, the emulator, running Tandem."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.emulator import SlackEmulator
from tests.support import databases
from tests.support.harness import BOT_TOKEN, TEAM_ID, Harness, add_default_people, running_tandem

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.build_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """This test session's migrated PostgreSQL database (None without a server)."""
    admin_url = databases.postgres_admin_url()
    if admin_url is None:
        yield None
        return
    name = databases.build_postgres_database(admin_url)
    yield databases.database_url_for(admin_url, name)
    databases.drop_postgres(admin_url, name)


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_database: str | None,
) -> Iterator[str]:
    """A migrated, empty database: every storage test runs once on each backend."""
    if request.param == "sqlite":
        yield databases.sqlite_copy(sqlite_template, tmp_path)
        return
    if postgres_database is None:
        if os.environ.get("CI"):
            pytest.fail(
                f"CI needs PostgreSQL: {databases.POSTGRES_ENV} is not set "
                "(run the tests through .ci/with-postgres)"
            )
        pytest.skip(f"no PostgreSQL ({databases.POSTGRES_ENV} unset; use `make test`)")
    databases.reset_postgres(postgres_database)
    yield postgres_database


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    """The Slack Web API emulator with the default cast of people."""
    emulator = SlackEmulator(team_id=TEAM_ID, token=BOT_TOKEN)
    emulator.start()
    add_default_people(emulator)
    yield emulator
    emulator.stop()


@pytest.fixture
def tandem(database_url: str, emulator: SlackEmulator) -> Iterator[Harness]:
    """Tandem serving HTTP against the emulator, delivering in the background like production."""
    yield from running_tandem(database_url, emulator)
