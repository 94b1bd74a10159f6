"""Shared pieces of every table: naming convention, timestamps, enums stored as text."""

from datetime import UTC, datetime

from sqlmodel import SQLModel

# Constraints get stable names, so Alembic can alter them (and batch mode works on SQLite).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant, aware, in UTC (for column defaults only; services use the clock)."""
    return datetime.now(UTC)
