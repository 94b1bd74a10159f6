"""Fresh, migrated databases per test: a copied SQLite file, or an emptied PostgreSQL database.

Migrations run once per test process (each xdist worker has its own PostgreSQL database, named
after its pid), so every test sees exactly the schema `tandem db upgrade` builds, without
paying for migrations each time.
"""

import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import storage.models  # noqa: F401 (the tables, on SQLModel.metadata, for the reset's order)
from storage.db import create_db_engine, normalise_database_url
from storage.migrate import upgrade

POSTGRES_ENV = "TANDEM_TEST_POSTGRES_URL"
RESTARTABLE_POSTGRES_ENV = "TANDEM_TEST_RESTARTABLE_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    """The server the PostgreSQL half of the suite uses (set by .ci/with-postgres)."""
    return os.environ.get(POSTGRES_ENV) or None


def restartable_postgres_admin_url() -> str | None:
    """The server only tests that stop or restart PostgreSQL use (set by .ci/with-postgres)."""
    return os.environ.get(RESTARTABLE_POSTGRES_ENV) or None


def build_sqlite_template(directory: Path) -> Path:
    """A migrated SQLite file to copy for each test."""
    path = directory / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    """A URL for a private copy of the template."""
    target = directory / f"tandem-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def _admin_engine(admin_url: str):  # type: ignore[no-untyped-def]
    return create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")


def database_url_for(admin_url: str, name: str) -> str:
    return (
        make_url(normalise_database_url(admin_url))
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def build_postgres_database(admin_url: str) -> str:
    """Create and migrate this test process's database; returns its name."""
    name = f"tandem_test_{os.getpid()}"
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_db_engine(database_url_for(admin_url, name))
    upgrade(engine)
    engine.dispose()
    return name


# Up to this many rows in all, DELETE empties the tables faster than TRUNCATE (below).
DELETE_UP_TO_ROWS = 1000


def _reset_sql() -> str:
    """Empties every table and restarts every sequence, in one round trip.

    A test leaves a few rows in a few tables: those are DELETEd, children first (the models'
    foreign keys give the order; tables slack_sdk made for OAuth come last). TRUNCATE makes
    new files for every table it names, a tenth of a second a test; but it is what empties a
    programme seeded at full size, where DELETE would check every row's references.
    """
    ours = ", ".join(f"'{table.name}'" for table in reversed(SQLModel.metadata.sorted_tables))
    return f"""
DO $$
DECLARE
    name text;
    filled text[] := '{{}}';
    found integer;
    total integer := 0;
BEGIN
    FOR name IN
        SELECT tables.name FROM (
            SELECT tablename::text AS name, array_position(ARRAY[{ours}], tablename::text) AS n
            FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'
        ) AS tables ORDER BY tables.n NULLS LAST
    LOOP
        EXECUTE format(
            'SELECT count(*) FROM (SELECT FROM %I LIMIT {DELETE_UP_TO_ROWS}) AS rows', name
        ) INTO found;
        IF found > 0 THEN
            filled := filled || format('%I', name);
            total := total + found;
        END IF;
    END LOOP;
    IF total > {DELETE_UP_TO_ROWS} THEN
        EXECUTE 'TRUNCATE ' || array_to_string(filled, ', ') || ' CASCADE';
    ELSE
        FOREACH name IN ARRAY filled LOOP
            EXECUTE 'DELETE FROM ' || name;
        END LOOP;
    END IF;
    PERFORM setval(format('%I.%I', schemaname, sequencename), start_value, false)
    FROM pg_sequences WHERE schemaname = 'public';
END
$$
"""


@cache
def _reset_engine(url: str) -> Engine:
    """One engine per database for its resets (pinged: a test may have restarted the server)."""
    return create_engine(
        normalise_database_url(url), isolation_level="AUTOCOMMIT", pool_pre_ping=True
    )


def reset_postgres(url: str) -> None:
    """Empty every table of a migrated database and restart its sequences, as a new copy.

    Tests must have closed their connections; a lingering lock fails fast rather than hangs.
    """
    with _reset_engine(url).connect() as connection:
        connection.execute(text("SET lock_timeout = '5s'"))
        connection.execute(text(_reset_sql()))


@contextmanager
def restartable_postgres_lock(admin_url: str) -> Iterator[None]:
    """Held while a test uses the restartable server: one at a time across every worker."""
    port = make_url(admin_url).port
    with open(Path(tempfile.gettempdir()) / f"tandem-restartable-postgres-{port}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def server_started_at(url: str) -> datetime:
    """When the PostgreSQL server behind `url` last started (changes with every restart)."""
    engine = _admin_engine(url)
    with engine.connect() as connection:
        started = connection.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()
    engine.dispose()
    return started


def drop_postgres(admin_url: str, name: str) -> None:
    """Remove a test database (connections still open are closed by the server)."""
    _reset_engine(database_url_for(admin_url, name)).dispose()
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
