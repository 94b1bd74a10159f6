"""Apply Alembic migrations (never `create_all` outside tests of the migrations themselves)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATION_LOCK_ID = 0x7A4D3E


def include_in_migrations(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's filter: slack_sdk's OAuth tables (slack_*) are the library's, not ours."""
    return not (type_ == "table" and (name or "").startswith("slack_"))


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at our migrations (and at `url` when given)."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`. Safe when several replicas start at once on PostgreSQL."""
    config = alembic_config()
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID}
                )
                connection.commit()


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions not yet applied to the database (empty when it is up to date)."""
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    heads = set(script.get_heads())
    if current == heads:
        return []
    return [rev.revision for rev in script.iterate_revisions(list(heads), list(current) or None)]
