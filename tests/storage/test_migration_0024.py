"""Migration 0024 on a database at 0023 holding rows the older code wrote, on both backends:
lapse clocks move up to the series' first occurrence, the old two-reminder default becomes one,
and what people chose for themselves stays theirs."""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, create_engine
from sqlmodel.sql.sqltypes import UTCDateTime

from storage.db import create_db_engine, normalise_database_url
from storage.migrate import upgrade
from tests.support import databases

OLD_CODE_AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # the charters were saved then
FIRST_MEETING = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # Monday 1 March, 10:00 in Berlin
MET_ON = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)

WHEN = UTCDateTime()
person = sa.table(
    "person",
    *(sa.column(n) for n in ("id", "team_id", "user_id", "display_name", "real_name")),
    *(sa.column(n, sa.Boolean()) for n in ("is_bot", "deleted", "is_workspace_admin")),
    sa.column("created_at", WHEN),
)
pair = sa.table(
    "pair",
    *(sa.column(n) for n in ("id", "team_id", "mentor_id", "mentee_id", "proposed_by_id")),
    *(sa.column(n) for n in ("status", "stage")),
    *(sa.column(n, WHEN) for n in ("created_at", "updated_at", "activated_at", "last_meeting_at")),
    sa.column("reminder_offsets", sa.JSON()),
)
series = sa.table(
    "meeting_series",
    *(sa.column(n) for n in ("id", "team_id", "pair_id", "uid", "rrule", "local_start")),
    *(sa.column(n) for n in ("timezone", "duration_minutes")),
    sa.column("active", sa.Boolean()),
    *(sa.column(n, WHEN) for n in ("created_at", "lapse_since", "next_lapse_at")),
)
preference = sa.table(
    "person_preference",
    *(sa.column(n) for n in ("person_id", "team_id", "reminders")),
    sa.column("updated_at", WHEN),
)
outbox = sa.table(
    "outbox",
    *(sa.column(n) for n in ("id", "team_id", "key", "kind", "channel", "text", "status")),
    sa.column("attempts"),
    *(sa.column(n, WHEN) for n in ("deliver_after", "created_at")),
)


@pytest.fixture(params=["sqlite", "postgres"])
def engine_at_0023(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A new database migrated only to 0023 (not the suite's one, which is at head)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
        upgrade(engine, "0023")
        yield engine
        engine.dispose()
        return
    admin_url = databases.postgres_admin_url()
    if admin_url is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs PostgreSQL (run the tests through .ci/with-postgres)")
        pytest.skip(f"no PostgreSQL ({databases.POSTGRES_ENV} unset; use `make test`)")
    name = f"tandem_0024_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_db_engine(databases.database_url_for(admin_url, name))
    upgrade(engine, "0023")
    yield engine
    engine.dispose()
    databases.drop_postgres(admin_url, name)


def old_rows(connection: sa.Connection) -> None:
    """Three pairs as the older code left them (charters saved on 7 December):
    1 never met, first meeting on 1 March: its lapse clock started at the save;
    2 met on 8 March: the clock restarted then (already right);
    3 chose "an hour before" as a pair; its mentee chose "both" in /tandem preferences."""
    connection.execute(
        sa.text(
            "INSERT INTO workspace (team_id, review_interval_months, quiet_hours_start,"
            " quiet_hours_end, default_cadence, daily_dm_limit, created_at, updated_at)"
            " VALUES ('T1', 3, '21:00', '08:00', 'weekly', 3, :at, :at)"
        ),
        {"at": OLD_CODE_AT.replace(tzinfo=None)},
    )
    people = [
        {"id": i, "team_id": "T1", "user_id": f"U{i}", "display_name": f"P{i}", "real_name": ""}
        | {"is_bot": False, "deleted": False, "is_workspace_admin": False}
        | {"created_at": OLD_CODE_AT}
        for i in range(1, 7)
    ]
    connection.execute(person.insert(), people)
    offsets = {1: [1440, 60], 2: [1440, 60], 3: [60]}
    connection.execute(
        pair.insert(),
        [
            {"id": p, "team_id": "T1", "mentor_id": 2 * p - 1, "mentee_id": 2 * p}
            | {"proposed_by_id": 2 * p - 1, "status": "active", "stage": "skill_building"}
            | {"created_at": OLD_CODE_AT, "updated_at": OLD_CODE_AT}
            | {"activated_at": OLD_CODE_AT, "reminder_offsets": offsets[p]}
            | {"last_meeting_at": MET_ON if p == 2 else None}
            for p in (1, 2, 3)
        ],
    )
    connection.execute(
        series.insert(),
        [
            {"id": p, "team_id": "T1", "pair_id": p, "uid": f"s{p}@tandem"}
            | {"rrule": "FREQ=WEEKLY;BYDAY=MO", "local_start": "2027-03-01T10:00:00"}
            | {"timezone": "Europe/Berlin", "duration_minutes": 45, "active": True}
            | {"created_at": OLD_CODE_AT}
            | {
                "lapse_since": MET_ON if p == 2 else OLD_CODE_AT,
                "next_lapse_at": datetime(2027, 3, 22, 9, tzinfo=UTC)
                if p == 2
                else datetime(2026, 12, 21, 9, tzinfo=UTC),
            }
            for p in (1, 2, 3)
        ],
    )
    connection.execute(
        preference.insert(),
        [
            {"person_id": 6, "team_id": "T1", "reminders": "both", "updated_at": OLD_CODE_AT},
            {"person_id": 2, "team_id": "T1", "reminders": None, "updated_at": OLD_CODE_AT},
        ],
    )
    waiting = {"team_id": "T1", "channel": "C1", "text": "…since 7 December", "attempts": 0}
    connection.execute(
        outbox.insert(),
        [
            waiting
            | {"key": key, "kind": kind, "status": "pending"}
            | {"deliver_after": FIRST_MEETING, "created_at": OLD_CODE_AT}
            for key, kind in (
                ("meeting.lapse:1:20261207T090000Z", "meeting.lapse"),
                ("meeting.lapse_admin:1:20261207T090000Z:UA:4x", "meeting.lapse_admin"),
                ("meeting.reminder:1:9.0:1440:U1", "meeting.reminder"),
            )
        ],
    )


def test_old_rows_follow_the_new_rules_after_0024(engine_at_0023: Engine) -> None:
    with engine_at_0023.begin() as connection:
        old_rows(connection)
    upgrade(engine_at_0023)
    with engine_at_0023.connect() as connection:
        clocks = connection.execute(
            sa.select(series.c.pair_id, series.c.lapse_since, series.c.next_lapse_at).order_by(
                series.c.pair_id
            )
        ).all()
        reminders = dict(connection.execute(sa.select(pair.c.id, pair.c.reminder_offsets)).all())
        chosen = dict(
            connection.execute(sa.select(preference.c.person_id, preference.c.reminders)).all()
        )
        waiting = dict(connection.execute(sa.select(outbox.c.key, outbox.c.status)).all())
    # No lapse counted before the first meeting: the clock starts on 1 March and is looked
    # at then; the pair that met on 8 March keeps its clock.
    assert [tuple(row) for row in clocks] == [
        (1, FIRST_MEETING, FIRST_MEETING),
        (2, MET_ON, datetime(2027, 3, 22, 9, tzinfo=UTC)),
        (3, FIRST_MEETING, FIRST_MEETING),
    ]
    # The "no meeting since 7 December" nudges still waiting will not go out.
    assert waiting == {
        "meeting.lapse:1:20261207T090000Z": "expired",
        "meeting.lapse_admin:1:20261207T090000Z:UA:4x": "expired",
        "meeting.reminder:1:9.0:1440:U1": "pending",
    }
    # One reminder, the day before, for people who never chose; the pair's own other choice
    # and a person's own choice stay.
    assert reminders == {1: [1440], 2: [1440], 3: [60]}
    assert chosen == {6: "both", 2: None}
