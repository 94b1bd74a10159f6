"""Each side of the charter: the mentor's and the mentee's own success and constraints, in the
form, its versions and diffs, status and Home; old charters with one shared success keep
working; admins never see any of it."""

import csv
import io
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlmodel import select

from storage.migrate import upgrade
from storage.models import CharterVersion, OutboxMessage
from tests.charter.test_charter_editing import initial
from tests.pairs.steps import count, delivered, open_charter, submit_charter
from tests.programme.helpers import ephemeral_reply, text_of
from tests.support.factories import DEFAULT_CHARTER, create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, Harness

TRAVEL = "PRIVATE-TRAVEL in Lagos all of March"
CRUNCH = "PRIVATE-CRUNCH launch in June"
SIDES = {
    **DEFAULT_CHARTER,
    "success_looks_like": "",
    "mentor_success": "PRIVATE-MENTOR-SUCCESS Noah leads without me",
    "mentee_success": "PRIVATE-MENTEE-SUCCESS the Q3 launch ships",
    "mentor_constraints": TRAVEL,
    "mentee_constraints": CRUNCH,
}


def versions(tandem: Harness) -> list[CharterVersion]:
    with tandem.session() as session:
        return list(session.exec(select(CharterVersion).order_by(CharterVersion.version)))


def test_the_form_asks_each_side_and_saves_both(tandem: Harness) -> None:
    create_active_pair(tandem, charter=None)
    form = open_charter(tandem, MENTOR)
    labels = {b["block_id"]: b["label"]["text"] for b in form["blocks"] if b["type"] == "input"}
    assert labels["mentor_success"] == "What success looks like for Maya (mentor)"
    assert labels["mentee_constraints"] == "Noah's constraints (mentee)"
    assert "success_looks_like" not in labels  # one field for both sides is gone
    response = submit_charter(tandem, MENTOR, form, mentee_constraints=CRUNCH)
    assert response.problems == [] and response.body.strip() != ""
    [v1] = versions(tandem)
    assert (v1.mentor_success, v1.mentee_success) == (
        "Noah leads without me in the room.",
        "Noah runs the Q3 launch with confidence.",
    )
    assert v1.mentee_constraints == CRUNCH and v1.success_looks_like == ""
    # The partner's first look at it names both sides' constraints.
    ask = str(delivered(tandem, "charter.ack_request", MENTEE)[0]["blocks"])
    assert f"*Mentee's constraints:* {CRUNCH}" in ask
    assert "*Mentor's constraints:* Travelling in March" in ask


def test_too_long_sides_are_field_errors_and_nothing_is_saved(tandem: Harness) -> None:
    create_active_pair(tandem, charter=None)
    form = open_charter(tandem, MENTOR)
    response = submit_charter(
        tandem, MENTOR, form, mentor_success="s" * 2001, mentee_constraints="c" * 1001
    )
    errors = response.json["errors"]
    assert response.json["response_action"] == "errors"
    assert set(errors) == {"mentor_success", "mentee_constraints"}
    assert errors["mentor_success"] == "Please keep this under 2000 characters (it has 2001)."
    assert errors["mentee_constraints"] == "Please keep this under 1000 characters (it has 1001)."
    assert count(tandem, CharterVersion) == 0 and count(tandem, OutboxMessage) == 0
    assert tandem.emulator.open_view(MENTOR)["id"] == form["id"]  # still open to fix


def test_a_changed_constraint_is_the_diff_the_partner_signs(tandem: Harness) -> None:
    create_active_pair(tandem, charter=SIDES)
    form = open_charter(tandem, MENTEE)
    assert initial(form, "mentor_constraints") == TRAVEL
    changed = {"charter.mentee_constraints": "Launch moved to July; Tuesdays are out."}
    assert tandem.slack.submit_view(MENTEE, form, changed).problems == []
    ask = delivered(tandem, "charter.ack_request", MENTOR)[0]
    shown = str(ask["blocks"])
    assert "*Mentee's constraints:* Launch moved to July; Tuesdays are out." in shown
    assert "success" not in shown and "Mentor's constraints" not in shown
    v1, v2 = versions(tandem)
    assert v2.change_summary == "Changed: mentee's constraints."
    assert (v2.mentor_constraints, v2.mentor_success) == (v1.mentor_constraints, v1.mentor_success)

    # The whole version, from the button in that DM, shows each side under its own name.
    before = len(tandem.emulator.calls("views.open"))
    tandem.slack.click_button_in(ask, MENTOR, action_id="charter.view_version")
    tandem.emulator.wait_for("views.open", count=before + 1)
    whole = str(tandem.emulator.open_view(MENTOR)["blocks"])
    assert "*What success looks like for Noah*" in whole and "the Q3 launch ships" in whole
    assert "*Maya's constraints*" in whole and TRAVEL in whole


def test_an_old_charter_with_one_shared_success_opens_with_it_on_both_sides(
    tandem: Harness,
) -> None:
    shared = "Noah runs the Q3 launch with confidence."
    create_active_pair(tandem, charter={**DEFAULT_CHARTER, "success_looks_like": shared})
    form = open_charter(tandem, MENTOR)
    assert initial(form, "mentor_success") == shared == initial(form, "mentee_success")
    assert initial(form, "mentor_constraints") is None
    # Saved as it is: nothing changed, so no version to sign.
    assert tandem.slack.submit_view(MENTOR, form).problems == []
    assert "Nothing changed, so version 1 stays" in str(tandem.emulator.open_view(MENTOR))
    # Revising one side leaves the other with the shared words.
    form = open_charter(tandem, MENTOR)
    mine = {"charter.mentor_success": "Noah needs me less each month."}
    assert tandem.slack.submit_view(MENTOR, form, mine).problems == []
    v2 = versions(tandem)[-1]
    assert (v2.mentor_success, v2.mentee_success) == ("Noah needs me less each month.", shared)
    assert v2.change_summary == "Changed: what success looks like for the mentor."


def test_migration_0020_copies_the_shared_success_into_both_sides(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")  # no foreign keys enforced
    upgrade(engine, "0018")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO charter_version (team_id, pair_id, version, author_id, created_at,"
                " mentor_objectives, mentee_objectives, success_looks_like, cadence, weekday,"
                " meeting_time, timezone, session_minutes, meeting_format, async_channel,"
                " feedback_candour, feedback_frequency_weeks, feedback_medium, topics_in_scope,"
                " topics_out_of_scope, confidentiality, focus_areas, celebration_sharing,"
                " change_summary) VALUES ('T1', 1, 1, 1, '2026-01-01 10:00:00', 'a', 'b',"
                " 'Both grow', 'weekly', 0, '10:00', 'UTC', 45, 'video', '', 'balanced', 4,"
                " 'written', '', '', '', '[]', 'ask', 'First version.')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT mentor_success, mentee_success, mentor_constraints, mentee_constraints "
                "FROM charter_version"
            )
        ).one()
    engine.dispose()
    assert tuple(row) == ("Both grow", "Both grow", "", "")


def status_text(tandem: Harness, user: str) -> str:
    return text_of(ephemeral_reply(tandem, user, "status"))


def test_status_and_home_show_each_sides_constraints_to_the_pair(tandem: Harness) -> None:
    create_active_pair(tandem, charter=SIDES)
    mine = status_text(tandem, MENTOR)
    assert f"Constraints · you: “{TRAVEL}” · <@{MENTEE}>: “{CRUNCH}”" in mine
    theirs = status_text(tandem, MENTEE)
    assert f"Constraints · you: “{CRUNCH}” · <@{MENTOR}>: “{TRAVEL}”" in theirs
    tandem.slack.open_home(MENTEE)
    home = str(tandem.emulator.wait_for("views.publish")[-1].args["view"])
    assert CRUNCH in home and TRAVEL in home


def test_admins_see_states_and_dates_never_a_side(tandem: Harness) -> None:
    pair = create_active_pair(tandem, charter=SIDES)
    # A revision waiting for the mentee's signature: the pair shows up as needing attention.
    form = open_charter(tandem, MENTOR)
    assert submit_charter(tandem, MENTOR, form, mentor_constraints="PRIVATE-NEW no Mondays").ok
    seen: list[str] = [text_of(ephemeral_reply(tandem, ADMIN, "admin pairs"))]
    seen.append(text_of(ephemeral_reply(tandem, ADMIN, "admin")))
    menu = tandem.slack.command(ADMIN, "admin").json
    assert "admin.export" in str(menu["blocks"])
    tandem.slack.click(ADMIN, "admin.export")
    tandem.emulator.wait_for("files.completeUploadExternal")
    [uploaded] = tandem.emulator.files()
    exported = uploaded.content.decode()
    rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(exported)))
    assert [row["pair_id"] for row in rows] == [str(pair.pair_id)]
    seen.append(exported)
    tandem.slack.open_home(ADMIN)
    seen.append(str(tandem.emulator.wait_for("views.publish")[-1].args["view"]))
    for shown in seen:
        assert "PRIVATE-" not in shown
