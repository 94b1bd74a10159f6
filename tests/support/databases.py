"""Fresh, migrated databases per test: a SQLite file, or a PostgreSQL database from a template.

Migrations run once per session into a template; each test gets a copy, so every test sees
exactly the schema `tandem db upgrade` builds, without paying for migrations each time.
"""

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import create_db_engine, normalise_database_url
from storage.migrate import upgrade

POSTGRES_ENV = "TANDEM_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    """The server the PostgreSQL half of the suite uses (set by .ci/with-postgres)."""
    return os.environ.get(POSTGRES_ENV) or None


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


def _database_url(admin_url: str, name: str) -> str:
    return (
        make_url(normalise_database_url(admin_url))
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def build_postgres_template(admin_url: str) -> str:
    """Create and migrate a template database; returns its name."""
    name = f"tandem_template_{os.getpid()}"
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_db_engine(_database_url(admin_url, name))
    upgrade(engine)
    engine.dispose()
    return name


def postgres_copy(admin_url: str, template: str) -> tuple[str, str]:
    """(url, name) of a new database cloned from `template`."""
    name = f"tandem_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return _database_url(admin_url, name), name


def drop_postgres(admin_url: str, name: str) -> None:
    """Remove a test database (connections still open are closed by the server)."""
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
