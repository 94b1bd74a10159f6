"""`tandem match --cohort C --dry-run` as an operator runs it: a real process against the
emulator, printing the round with reasons and changing nothing."""

from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from bot.core.people import ensure_workspace
from devkit.emulator import SlackEmulator
from storage.db import create_db_engine
from storage.models import Cohort, JoinProfile, MatchRound, OutboxMessage, Person
from tests.programme.helpers import run_tandem
from tests.support.harness import START, TEAM_ID


def run_match(database_url: str, emulator: SlackEmulator, *args: str):
    return run_tandem(database_url, emulator, "match", *args)


def seed(database_url: str, emulator: SlackEmulator) -> None:
    """Two mentors and three mentees in London (one seeks a topic nobody offers), a cohort."""
    engine = create_db_engine(database_url)
    with Session(engine) as session:
        ensure_workspace(session, TEAM_ID)
        session.add(
            Cohort(
                team_id=TEAM_ID, name="Spring", starts_on=date(2026, 3, 1), ends_on=date(2026, 9, 1)
            )
        )
        people = [
            ("UCM1", "mentor", ["Python", "Design"], []),
            ("UCM2", "mentor", ["Design"], []),
            ("UCE1", "mentee", [], ["Python"]),
            ("UCE2", "mentee", [], ["Design"]),
            ("UCE3", "mentee", [], ["Sales"]),
        ]
        for n, (user_id, role, offers, seeks) in enumerate(people):
            emulator.add_user(user_id, user_id.lower(), tz="Europe/London")
            person = Person(
                team_id=TEAM_ID, user_id=user_id, display_name=user_id, tz="Europe/London"
            )
            session.add(person)
            session.flush()
            session.add(
                JoinProfile(
                    team_id=TEAM_ID,
                    person_id=person.id,
                    role=role,
                    offers=offers,
                    seeks=seeks,
                    joined_at=START - timedelta(days=1, seconds=-n),
                )
            )
        session.commit()
    engine.dispose()


def counts(database_url: str) -> tuple[int, int, int]:
    engine = create_db_engine(database_url)
    with Session(engine) as session:
        found = tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (MatchRound, OutboxMessage, Person)
        )
    engine.dispose()
    return found  # type: ignore[return-value]


def test_a_dry_run_prints_the_round_with_reasons_and_changes_nothing(
    database_url: str, emulator: SlackEmulator
) -> None:
    seed(database_url, emulator)
    before = counts(database_url)
    done = run_match(database_url, emulator, "--cohort", "Spring", "--dry-run")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "dry run" in out and "for Spring" in out and "from a pool of 5" in out
    assert "UCM1 → UCE1: Shared topics: Python · Working hours overlap: 8h" in out
    assert "UCM2 → UCE2: Shared topics: Design" in out
    assert "unmatched UCE3: no mentor offers their topic" in out
    assert counts(database_url) == before


def test_a_cohort_that_does_not_exist_is_a_sentence_and_exit_2(
    database_url: str, emulator: SlackEmulator
) -> None:
    seed(database_url, emulator)
    before = counts(database_url)
    done = run_match(database_url, emulator, "--cohort", "Autumn", "--dry-run")
    assert done.returncode == 2
    assert "There's no cohort called “Autumn”" in done.stderr and "Spring" in done.stderr
    assert "Traceback" not in done.stderr
    without = run_match(database_url, emulator, "--cohort", "Spring")
    assert without.returncode == 2 and "/tandem admin match" in without.stderr
    assert counts(database_url) == before
