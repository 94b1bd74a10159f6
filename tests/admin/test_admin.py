"""Admins: the menu, workspace settings, CSV export without private text, deleting a person."""

import csv
import io
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from bot.admin.export import spreadsheet_safe
from bot.admin.service import export_csv
from storage.models import (
    DailyDmCount,
    Feedback,
    Meeting,
    MeetingStatus,
    OutboxMessage,
    Pair,
    PairStatus,
    Person,
    Review,
    ReviewAnswer,
    Workspace,
)
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OUTSIDER, START, Harness

ROOT = Path(__file__).resolve().parents[2]
SECRET_NOTE = "we talked about my divorce"
SECRET_FEEDBACK = "my mentor is always late"


def press_in_admin_menu(tandem: Harness, user_id: str, action_id: str) -> None:
    """An admin opens the (ephemeral) menu; `user_id` presses one of its buttons."""
    menu = tandem.slack.command(ADMIN, "admin").json
    assert action_id in str(menu["blocks"])
    tandem.slack.click(user_id, action_id)


def add_private_content(tandem: Harness, pair_id: int) -> None:
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        session.add(
            Meeting(
                team_id=tandem.team_id,
                pair_id=pair_id,
                starts_at=tandem.clock.now(),
                status=MeetingStatus.MET,
                discussed=SECRET_NOTE,
            )
        )
        session.add(
            Feedback(
                team_id=tandem.team_id,
                pair_id=pair_id,
                author_id=pair.mentee_id,
                kind="support",
                text=SECRET_FEEDBACK,
                visibility="programme",
            )
        )


def test_only_admins_get_the_admin_menu(tandem: Harness) -> None:
    create_active_pair(tandem)
    refused = tandem.slack.command(OUTSIDER, "admin").json["text"]
    assert "Only programme admins" in refused
    menu = tandem.slack.command(ADMIN, "admin").json
    assert menu["response_type"] == "ephemeral"
    assert "*Active pairs:* 1" in str(menu["blocks"])


def test_settings_are_validated_then_saved(tandem: Harness) -> None:
    press_in_admin_menu(tandem, ADMIN, "admin.open_settings")
    modal = tandem.emulator.wait_for("views.open")[0].response["view"]
    bad = tandem.slack.submit_view(
        ADMIN,
        modal,
        {
            ("review_interval_months", "value"): "0",
            ("daily_dm_limit", "value"): "abc",
            ("quiet_hours_start", "value"): "22:00",
            ("quiet_hours_end", "value"): "22:00",
        },
    )
    errors = bad.json["errors"]
    assert set(errors) == {"review_interval_months", "daily_dm_limit"}
    with tandem.session() as session:
        assert session.get(Workspace, tandem.team_id).review_interval_months == 3
    modal = tandem.emulator.open_view(ADMIN)
    good = tandem.slack.submit_view(
        ADMIN,
        modal,
        {
            ("review_interval_months", "value"): "6",
            ("daily_dm_limit", "value"): "5",
            ("quiet_hours_start", "value"): "21:30",
            ("quiet_hours_end", "value"): "07:00",
            ("default_cadence", "value"): "weekly",
            ("celebrations_channel", "value"): "CCELEBRATE",
        },
    )
    assert good.status == 200 and not good.body
    with tandem.session() as session:
        ws = session.get(Workspace, tandem.team_id)
        assert (ws.review_interval_months, ws.daily_dm_limit) == (6, 5)
        assert (ws.quiet_hours_start, ws.quiet_hours_end) == ("21:30", "07:00")
        assert (ws.default_cadence, ws.celebrations_channel) == ("weekly", "CCELEBRATE")


def test_outsider_pressing_a_copied_admin_button_gets_nothing(tandem: Harness) -> None:
    press_in_admin_menu(tandem, OUTSIDER, "admin.export")
    answer = tandem.emulator.wait_for("response_url")[0]
    assert "Only programme admins" in answer.args["text"]
    assert tandem.emulator.files() == []
    assert tandem.emulator.calls("views.open") == []


def test_export_button_sends_csv_without_private_text(tandem: Harness) -> None:
    pair = create_active_pair(tandem)
    add_private_content(tandem, pair.pair_id)
    press_in_admin_menu(tandem, ADMIN, "admin.export")
    tandem.emulator.wait_for("files.completeUploadExternal")
    [uploaded] = tandem.emulator.files()
    content = uploaded.content.decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 1
    assert rows[0]["mentor_user_id"] == MENTOR and rows[0]["meetings_met"] == "1"
    # Programme-only feedback is counted per cohort, never per pair (it could name its author).
    assert "feedback_to_programme" not in rows[0]
    assert SECRET_NOTE not in content and SECRET_FEEDBACK not in content
    assert "Help Noah" not in content  # charter objectives are private too


def test_tandem_export_command_writes_csv(tandem: Harness, tmp_path: Path) -> None:
    pair = create_active_pair(tandem)
    add_private_content(tandem, pair.pair_id)
    target = tmp_path / "export.csv"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--output", str(target)],
        env={
            "DATABASE_URL": tandem.ctx.settings.database_url,
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(target.open()))
    assert [(r["mentor_user_id"], r["mentee_user_id"], r["status"]) for r in rows] == [
        (MENTOR, MENTEE, "active")
    ]
    assert rows[0]["activated_at"].startswith(START.isoformat()[:19])
    assert SECRET_NOTE not in target.read_text()


def test_deleting_a_persons_data(tandem: Harness) -> None:
    pair = create_active_pair(tandem)
    add_private_content(tandem, pair.pair_id)
    with tandem.session() as session:  # the daily DM count names the person too
        session.add(DailyDmCount(team_id=tandem.team_id, user_id=MENTEE, day=START.date(), sent=2))
    press_in_admin_menu(tandem, ADMIN, "admin.open_erase")
    modal = tandem.emulator.wait_for("views.open")[0].response["view"]
    unconfirmed = tandem.slack.submit_view(
        ADMIN, modal, {("person", "value"): MENTEE, ("confirm", "value"): "delete"}
    )
    assert "DELETE" in unconfirmed.json["errors"]["confirm"]
    with tandem.session() as session:
        assert session.exec(select(Feedback)).all() != []
    modal = tandem.emulator.open_view(ADMIN)
    done = tandem.slack.submit_view(
        ADMIN, modal, {("person", "value"): MENTEE, ("confirm", "value"): "DELETE"}
    )
    assert done.json["response_action"] == "update"
    assert "1 open pair(s) ended" in str(done.json["view"])
    with tandem.session() as session:
        assert session.exec(select(Feedback)).all() == []
        assert session.get(Pair, pair.pair_id).status == PairStatus.ENDED
        mentee = session.exec(select(Person).where(Person.user_id == MENTEE)).one()
        assert mentee.real_name == "" and mentee.tz is None and mentee.erased_at is not None
        meeting = session.exec(select(Meeting)).one()
        assert meeting.discussed == "" and meeting.status == MeetingStatus.MET  # count stays
        assert all(SECRET_NOTE not in m.text for m in session.exec(select(OutboxMessage)))
        assert session.exec(select(DailyDmCount).where(DailyDmCount.user_id == MENTEE)).all() == []


def test_cells_that_would_run_as_formulas_are_neutralised() -> None:
    assert spreadsheet_safe('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert spreadsheet_safe("Ada") == "Ada"
    assert spreadsheet_safe(3) == 3


def test_export_shows_no_review_answers(tandem: Harness) -> None:
    pair = create_active_pair(tandem)
    with tandem.session() as session:
        review = Review(team_id=tandem.team_id, pair_id=pair.pair_id, round=1)
        session.add(review)
        session.flush()
        mentee = session.exec(select(Person).where(Person.user_id == MENTEE)).one()
        session.add(
            ReviewAnswer(
                team_id=tandem.team_id,
                review_id=review.id,
                person_id=mentee.id,
                value_score=1,
                time_commitment="right",
                goals_still_right="no",
                decision="conclude",
            )
        )
    with tandem.session() as session:
        content, _ = export_csv(session, tandem.team_id)
    [row] = list(csv.DictReader(io.StringIO(content)))
    assert row["reviews_completed"] == "0"  # the round is open: nothing to count yet
    assert not any("score" in column for column in row)
    assert "conclude" not in content
