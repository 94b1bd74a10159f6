"""Storage on both backends: migrations equal the models, times stay aware, constraints hold."""

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

import storage.models  # noqa: F401
from storage.db import create_db_engine, reading, session_scope
from storage.migrate import include_in_migrations
from storage.models import OutboxMessage, Pair, PairStatus, Person, Workspace


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def people(session: Session, *user_ids: str) -> list[Person]:
    session.add(Workspace(team_id="T1"))
    session.flush()
    rows = [Person(team_id="T1", user_id=u) for u in user_ids]
    session.add_all(rows)
    session.flush()
    return rows


def test_migrations_build_exactly_the_models(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_in_migrations}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_every_table_is_scoped_by_team() -> None:
    unscoped = [t.name for t in SQLModel.metadata.sorted_tables if "team_id" not in t.c]
    assert unscoped == []


def test_times_come_back_aware_and_in_utc(engine) -> None:  # type: ignore[no-untyped-def]
    berlin_morning = datetime(2026, 3, 29, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    with session_scope(engine) as session:
        mentor, mentee = people(session, "UA", "UB")
        pair = Pair(
            team_id="T1",
            mentor_id=mentor.id,
            mentee_id=mentee.id,
            proposed_by_id=mentor.id,
            next_meeting_at=berlin_morning,
        )
        session.add(pair)
    with session_scope(engine) as session:
        stored = session.exec(select(Pair)).one()
        assert stored.next_meeting_at == berlin_morning
        assert stored.next_meeting_at.utcoffset() == timedelta(0)
        earlier = session.exec(
            select(Pair).where(Pair.next_meeting_at < berlin_morning + timedelta(minutes=1))
        ).all()
        assert len(earlier) == 1


def test_naive_datetimes_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="timezone"), session_scope(engine) as session:
        mentor, mentee = people(session, "UA", "UB")
        session.add(
            Pair(
                team_id="T1",
                mentor_id=mentor.id,
                mentee_id=mentee.id,
                proposed_by_id=mentor.id,
                next_meeting_at=datetime(2026, 1, 1, 9),
            )
        )


def test_one_open_pair_per_mentor_and_mentee(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        mentor, mentee = people(session, "UA", "UB")
        ids = {"mentor_id": mentor.id, "mentee_id": mentee.id, "proposed_by_id": mentor.id}
        session.add(Pair(team_id="T1", status=PairStatus.ACTIVE, **ids))
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Pair(team_id="T1", status=PairStatus.PROPOSED, **ids))
    with session_scope(engine) as session:
        session.exec(select(Pair)).one().status = PairStatus.ENDED
    with session_scope(engine) as session:  # a concluded pair can start again
        session.add(Pair(team_id="T1", status=PairStatus.PROPOSED, **ids))
    with session_scope(engine) as session:
        assert len(session.exec(select(Pair)).all()) == 2


def test_foreign_keys_are_enforced(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Person(team_id="T-does-not-exist", user_id="UA"))


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_db_engine(f"sqlite:///{tmp_path}/wal.db")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_a_read_inside_this_threads_write_transaction_goes_on_at_once(engine) -> None:  # type: ignore[no-untyped-def]
    # A token looked up in the middle of a tick: on SQLite the read must neither wait for the
    # write lock this thread holds (10 s, then "database is locked") nor see the open write.
    with session_scope(engine) as session:
        people(session, "U1")
    answers: list[list[str]] = []

    def read() -> None:
        with reading(engine) as connection:
            answers.append(list(connection.exec_driver_sql("SELECT user_id FROM person").scalars()))

    with session_scope(engine) as session:
        session.add(Person(team_id="T1", user_id="U2"))
        session.flush()  # this transaction now writes
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=3)  # in this thread's stead: Thread lets a hang be told apart
        assert not reader.is_alive(), "the read waited for the write lock"
    assert answers == [["U1"]]


def test_sqlite_reads_at_once_inside_a_writing_transaction_of_its_thread(tmp_path: Path) -> None:
    # The tick reads a workspace's token (its own connection) while its session writes: the
    # read must not wait for the write lock its own thread holds, nor fail as locked.
    engine = create_db_engine(f"sqlite:///{tmp_path}/nested.db")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE token (team TEXT, value TEXT)")
        connection.exec_driver_sql("INSERT INTO token VALUES ('T1', 'xoxb-1')")
    started = time.monotonic()
    with engine.begin() as writing:
        writing.exec_driver_sql("INSERT INTO token VALUES ('T2', 'xoxb-2')")
        with engine.connect() as nested:
            rows = nested.exec_driver_sql("SELECT team FROM token").scalars().all()
    assert rows == ["T1"]  # the last commit, not the write in flight
    assert time.monotonic() - started < 2
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM token").scalar() == 2
    engine.dispose()


def test_enqueue_says_whether_it_queued(engine) -> None:  # type: ignore[no-untyped-def]
    from bot.delivery.service import enqueue

    now = datetime(2026, 3, 2, 14, tzinfo=ZoneInfo("UTC"))
    message = {
        "team_id": "T1",
        "key": "test:once",
        "kind": "test",
        "channel": "UA",
        "text": "hello",
        "deliver_after": now,
    }
    with session_scope(engine) as session:
        people(session, "UA")
        assert enqueue(session, **message) is True
    with session_scope(engine) as session:
        assert enqueue(session, **message) is False  # PostgreSQL reported 1 row here once
        assert len(session.exec(select(OutboxMessage)).all()) == 1
