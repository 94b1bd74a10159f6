"""App Home and `/tandem status`: all about my pairs in one place, nothing about others."""

from datetime import date

from sqlmodel import select

from bot.delivery.service import enqueue
from storage.models import Goal, Milestone, OutboxMessage, OutboxStatus, Pair
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness

PRIVATE_OBJECTIVE = "Help Noah grow into a tech lead."


def home_text(tandem: Harness, user_id: str) -> str:
    tandem.emulator.clear_calls()
    tandem.slack.open_home(user_id)
    [call] = tandem.emulator.wait_for("views.publish")
    assert call.args["user_id"] == user_id and call.response["ok"]
    return str(call.args["view"]["blocks"])


def add_goal(tandem: Harness, pair_id: int) -> None:
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        goal = Goal(
            team_id=tandem.team_id,
            pair_id=pair_id,
            owner_id=pair.mentee_id,
            created_by_id=pair.mentee_id,
            title="Run the Q3 launch",
            percent=40,
        )
        session.add(goal)
        session.flush()
        session.add(
            Milestone(
                team_id=tandem.team_id,
                goal_id=goal.id,
                position=1,
                title="Draft the plan",
                due_date=date(2026, 3, 1),
            )
        )


def test_a_newcomer_is_welcomed(tandem: Harness) -> None:
    text = home_text(tandem, OUTSIDER)
    assert "/tandem pair @mentor @mentee" in text
    assert "Programme" not in text


def test_my_pair_at_a_glance(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    add_goal(tandem, ref.pair_id)
    tandem.run_due()  # the charter's rhythm becomes a meeting series
    text = home_text(tandem, MENTEE)
    assert f"<@{MENTOR}>" in text and "they mentor you" in text
    assert "Charter v1" in text and "Acknowledged by both" in text
    assert "Next meeting: <!date^" in text
    assert "Run the Q3 launch" in text and "40%" in text and "Draft the plan" in text
    assert "Relationship health" in text
    assert PRIVATE_OBJECTIVE not in text
    assert "Programme" not in text  # not an admin


def test_status_shows_every_area(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    add_goal(tandem, ref.pair_id)
    tandem.run_due()
    text = str(tandem.slack.command(MENTOR, "status").json)
    for expected in ("Charter v1", "Next meeting", "Run the Q3 launch", "Relationship health"):
        assert expected in text


def test_outsiders_see_nothing_of_a_pair(tandem: Harness) -> None:
    create_active_pair(tandem)
    text = home_text(tandem, OUTSIDER)
    assert MENTOR not in text and MENTEE not in text and "Charter" not in text


def test_a_proposal_waits_on_me(tandem: Harness) -> None:
    tandem.slack.command(MENTOR, f"pair <@{MENTOR}|maya> <@{OTHER_MENTEE}|ines>")
    tandem.emulator.wait_for(lambda c: c.method == "chat.postMessage")
    text = home_text(tandem, OTHER_MENTEE)
    assert "Waiting on you" in text and f"Accept or decline pairing with <@{MENTOR}>" in text
    assert "Waiting on you" not in home_text(tandem, MENTOR)  # proposing counts as accepting


def test_admins_see_programme_health_and_refusals_but_no_text(tandem: Harness) -> None:
    create_active_pair(tandem)
    with tandem.session() as session:
        enqueue(
            session,
            team_id=tandem.team_id,
            key="test:refused",
            kind="goal.celebrate",
            channel="CARCHIVED",
            text="Noah finished his secret plan",
            deliver_after=tandem.clock.now(),
        )
        row = session.exec(select(OutboxMessage).where(OutboxMessage.key == "test:refused")).one()
        row.status, row.last_error = OutboxStatus.FAILED, "is_archived"
    text = home_text(tandem, ADMIN)
    assert "Programme (admins)" in text and "*Active pairs:* 1" in text
    assert "goal.celebrate to `CARCHIVED`: is_archived" in text
    assert "secret plan" not in text
    assert "admin.export" in text


def test_export_from_the_home_tab_arrives_by_dm(tandem: Harness) -> None:
    create_active_pair(tandem)
    home = home_text(tandem, ADMIN)
    assert "admin.export" in home
    tandem.slack.click_button_in(tandem.emulator.home(ADMIN), ADMIN, action_id="admin.export")
    tandem.emulator.wait_for("files.completeUploadExternal")
    assert tandem.emulator.files()[0].content.decode().count("\n") == 2  # header + one pair
