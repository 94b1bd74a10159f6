"""Fresh, migrated databases per test: a copied SQLite file, or an emptied PostgreSQL database.

Migrations run once per test session, so every test sees exactly the schema `tandem db upgrade`
builds, without paying for migrations each time.
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


def reset_postgres(url: str) -> None:
    """Empty every table of a migrated database (much faster than cloning a template).

    Tests must have closed their connections; a lingering lock fails fast rather than hangs.
    """
    engine = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("SET lock_timeout = '5s'"))
        tables = (
            connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def drop_postgres(admin_url: str, name: str) -> None:
    """Remove a test database (connections still open are closed by the server)."""
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
