"""One engine per process and a session per unit of work."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalise_database_url(url: str) -> str:
    """Pick our drivers: psycopg 3 for PostgreSQL, the standard library for SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_db_engine(url: str) -> Engine:
    """Build the engine for `url` with the connection settings Tandem relies on.

    SQLite gets WAL, a busy timeout and foreign keys on every connection, and every
    transaction starts with BEGIN IMMEDIATE: SQLite allows one writer, and taking the
    write lock up front avoids the lock-upgrade deadlock that busy_timeout cannot wait out.
    """
    url = normalise_database_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)

    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # SQLite's busy handler polls for the write lock, sleeping longer and longer (up to 100 ms
    # at a time), so under many writers one can wait seconds while others come and go. Within
    # this process writers queue on a lock instead, woken the moment the previous one is done;
    # other processes still meet the busy timeout.
    writer = threading.Lock()
    # The thread whose transaction holds `writer`. A transaction it opens inside that one (the
    # tick reading an OAuth workspace's token while its own transaction writes) could never
    # have the write lock before the outer one ends: it only reads, at once, from the last
    # commit (WAL), instead of waiting out both timeouts and failing "database is locked".
    holder: list[int | None] = [None]

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        if connection.get_execution_options().get(_READ_ONLY) or holder[0] == threading.get_ident():
            # WAL lets a reader see the last commit while another connection writes: a
            # read-only transaction, or one nested in this thread's writing one, neither takes
            # nor waits for the write lock.
            connection.exec_driver_sql("BEGIN")
            return
        if writer.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            connection.info["tandem_writer"] = True
            holder[0] = threading.get_ident()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _done(connection)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _done(connection) -> None:  # type: ignore[no-untyped-def]
        if connection.info.pop("tandem_writer", False):
            holder[0] = None
            writer.release()

    return engine


_READ_ONLY = "tandem_read_only"


def reading(engine: Engine) -> Connection:
    """A connection for reads only (use it as a context manager). On SQLite it does not wait for
    the write lock, so it may be opened while this thread's own transaction holds it: a token
    looked up in the middle of a tick (bot/oauth_store.py) would otherwise wait out the busy
    timeout. Writing through it is a mistake SQLite reports as "database is locked"."""
    return engine.connect().execution_options(**{_READ_ONLY: True})


def is_postgres(engine: Engine) -> bool:
    """True when the engine talks to PostgreSQL (which has row locks and SKIP LOCKED)."""
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(bind: Engine | Connection) -> Iterator[Session]:
    """A session for one unit of work: committed on success, rolled back on any error.

    On a `Connection` (not in a transaction), the session's transaction is its own: several
    units of work can then share one connection, each committed or rolled back alone.
    """
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def insert_if_absent(
    session: Session, model: type, values: dict, conflict_columns: list[str] | None = None
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING, portably; True when this call inserted the row.

    Decided by RETURNING, not rowcount: PostgreSQL's driver reports a row count for the
    statement even when the conflict left the table untouched.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    primary_key = next(iter(model.__table__.primary_key.columns))  # type: ignore[attr-defined]
    statement = (
        dialect.insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(primary_key)
    )
    return session.exec(statement).first() is not None  # type: ignore[call-overload]


def insert_new(
    session: Session, model: type, rows: list[dict], conflict_columns: list[str]
) -> list:
    """`insert_if_absent` for many rows in one statement: the model objects this call
    inserted (in the session), leaving out every row that conflicted."""
    if not rows:
        return []
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(model)
        .values(rows)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(model)
    )
    return list(session.scalars(statement))
