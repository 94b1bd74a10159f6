"""`tandem import pairs FILE.csv` as an operator runs it: a real process against the emulator."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from devkit.emulator import SlackEmulator
from storage.db import create_db_engine
from storage.models import Cohort, OutboxMessage, Pair, PairStatus
from tests.programme.helpers import run_tandem
from tests.support.harness import ADMIN, MENTEE, MENTOR

PAIRS = 200


def daytime_zone() -> str:
    """A zone where it is around noon now, so quiet hours hold none of the invitations."""
    offset = 12 - datetime.now(UTC).hour
    offset = max(-12, min(14, offset))
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")


def run_import(path: Path, database_url: str, emulator: SlackEmulator, *extra: str):
    return run_tandem(database_url, emulator, "import", "pairs", str(path), *extra, timeout=300)


def counts(database_url: str) -> tuple[int, int]:
    engine = create_db_engine(database_url)
    with Session(engine) as session:
        pairs = session.exec(
            select(func.count()).select_from(Pair).where(Pair.status == PairStatus.PROPOSED)
        ).one()
        queued = session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "pair.proposal")
        ).one()
    engine.dispose()
    return pairs, queued


def test_two_hundred_pairs_from_a_csv_then_a_rerun_sends_nothing(
    tmp_path: Path, database_url: str, emulator: SlackEmulator
) -> None:
    zone = daytime_zone()
    emulator.add_user(ADMIN, "ada", tz=zone, is_admin=True)
    lines = ["\ufeffmentor;mentee;cohort"]  # a spreadsheet's BOM and semicolons
    for n in range(PAIRS):
        mentor, mentee = f"UMR{n:04d}", f"UME{n:04d}"
        emulator.add_user(mentor, f"mentor{n}", tz=zone)
        emulator.add_user(mentee, f"mentee{n}", tz=zone, email=f"Mentee{n}@Example.com")
        # Ids, mentions as Slack sends them and emails, mixed as a real export would be.
        named_mentor = f"<@{mentor}|mentor{n}>" if n % 2 else mentor
        named_mentee = f"mentee{n}@example.com" if n % 3 else mentee
        lines.append(f"{named_mentor};{named_mentee};{'Spring 2027' if n < 150 else ''}")
    path = tmp_path / "pairs.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    done = run_import(path, database_url, emulator)
    assert done.returncode == 0, done.stderr + done.stdout
    assert done.stdout.splitlines()[0] == "200 pairs proposed."
    assert done.stdout.splitlines()[-1].startswith("Sent 400 invitation(s)")
    assert "New cohort “Spring 2027”" in done.stdout
    assert counts(database_url) == (PAIRS, 2 * PAIRS)
    asked = {
        c.args["channel"]
        for c in emulator.calls("chat.postMessage")
        if c.response.get("ok") and "A mentoring pair for you?" in str(c.args.get("text"))
    }
    assert asked == {f"UMR{n:04d}" for n in range(PAIRS)} | {f"UME{n:04d}" for n in range(PAIRS)}
    engine = create_db_engine(database_url)
    with Session(engine) as session:
        cohort = session.exec(select(Cohort)).one()
        in_cohort = session.exec(
            select(func.count()).select_from(Pair).where(Pair.cohort_id == cohort.id)
        ).one()
    engine.dispose()
    assert (cohort.name, in_cohort) == ("Spring 2027", 150)

    posted = len(emulator.calls("chat.postMessage"))
    again = run_import(path, database_url, emulator)
    assert again.returncode == 1  # every line is refused: those two are already proposed
    assert again.stdout.splitlines()[0] == "0 pairs proposed, 200 lines refused."
    assert "line 2: refused: there's already a proposal for <@UMR0000> and <@UME0000>" in (
        again.stdout
    )
    assert len(emulator.calls("chat.postMessage")) == posted
    assert counts(database_url) == (PAIRS, 2 * PAIRS)


def test_refused_lines_exit_1_and_the_rest_are_proposed(
    tmp_path: Path, database_url: str, emulator: SlackEmulator
) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text(
        "mentor,mentee\n"
        f"{MENTOR},{MENTEE}\n"
        f"{MENTOR},nobody@example.com\n"
        f"{MENTOR},{MENTOR}\n"
        "not a person,UMENTEE02\n"
        f"{MENTOR},UNOSUCHUSER\n"
    )
    done = run_import(path, database_url, emulator, "--no-send")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "1 pair proposed, 4 lines refused.",
        f"line 2: proposed {MENTOR} → {MENTEE}",
        "line 3: refused: nobody in this workspace has the email nobody@example.com",
        f"line 4: refused: <@{MENTOR}> is named as both mentor and mentee",
        "line 5: refused: mentor: “not a person” is not a Slack user id, a mention or an email "
        "address",
        "line 6: refused: I couldn't find the user `UNOSUCHUSER` in this workspace",
    ]
    assert counts(database_url) == (1, 2)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"name,email\nMaya,maya@example.com\n", "The header should be `mentor,mentee,cohort`"),
        (b"mentor,mentee\n" + b"U0A,U0B\n" * 10_000, "That's 10,000 pairs"),
        ("mentor,mentee\nJosé,U0B\n".encode("cp1252"), "CSV UTF-8"),
    ],
)
def test_an_unusable_file_exits_2_with_a_sentence_and_imports_nothing(
    tmp_path: Path, database_url: str, emulator: SlackEmulator, content: bytes, words: str
) -> None:
    path = tmp_path / "pairs.csv"
    path.write_bytes(content)
    done = run_import(path, database_url, emulator)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert counts(database_url) == (0, 0)


def test_a_missing_file_exits_2(tmp_path: Path, database_url: str, emulator: SlackEmulator):
    done = run_import(tmp_path / "nope.csv", database_url, emulator)
    assert done.returncode == 2
    assert "Can't read" in done.stderr and "Traceback" not in done.stderr


def test_a_spreadsheet_s_bom_semicolons_and_unknown_emails_get_a_line_by_line_report(
    tmp_path: Path, database_url: str, emulator: SlackEmulator
) -> None:
    """What Excel saves in much of Europe ("CSV UTF-8", `;`, CRLF, a BOM) reads like any CSV;
    an email nobody in the workspace has is refused by line, the rest is proposed."""
    path = tmp_path / "pairs.csv"
    path.write_bytes(
        "\ufeffMentor;Mentee;Cohort\r\n"
        f"{MENTOR};{MENTEE};Spring\r\n"
        f"{MENTOR};ghost@example.com;Spring\r\n"
        "nobody@example.com;nobody-else@example.com;\r\n".encode()
    )
    done = run_import(path, database_url, emulator, "--no-send")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "1 pair proposed, 2 lines refused."
    assert f"line 2: proposed {MENTOR} → {MENTEE} [Spring]" in lines
    assert "line 3: refused: nobody in this workspace has the email ghost@example.com" in lines
    assert any(
        line.startswith("line 4: refused: nobody in this workspace has the email nobody@")
        for line in lines
    ), lines
    assert counts(database_url) == (1, 2)


def test_a_dry_run_prints_the_preview_and_changes_nothing(
    tmp_path: Path, database_url: str, emulator: SlackEmulator
) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text(
        f"mentor,mentee,cohort\n{MENTOR},{MENTEE},Spring\n{MENTOR},nobody@example.com,Spring\n"
    )
    posted = len(emulator.calls("chat.postMessage"))
    preview = run_import(path, database_url, emulator, "--dry-run")
    assert preview.returncode == 1, preview.stderr  # as the import itself: some refused
    assert preview.stdout.splitlines()[:3] == [
        "Preview, nothing sent: 1 pair valid, ready to propose, 1 line refused.",
        "By cohort: Spring 1.",
        "New cohort “Spring” would be created: "
        + preview.stdout.split("would be created: ")[1].splitlines()[0],
    ]
    assert f"line 2: valid {MENTOR} → {MENTEE} [Spring]" in preview.stdout
    assert "line 3: refused: nobody in this workspace has the email nobody@" in preview.stdout
    assert counts(database_url) == (0, 0)
    engine = create_db_engine(database_url)
    with Session(engine) as session:
        assert session.exec(select(Cohort)).all() == []
    engine.dispose()
    assert len(emulator.calls("chat.postMessage")) == posted

    path.write_text(f"mentor,mentee\n{MENTOR},{MENTEE}\n")
    assert run_import(path, database_url, emulator, "--dry-run").returncode == 0
    assert counts(database_url) == (0, 0)
    done = run_import(path, database_url, emulator, "--no-send")
    assert done.stdout.splitlines()[0] == "1 pair proposed." and counts(database_url) == (1, 2)
