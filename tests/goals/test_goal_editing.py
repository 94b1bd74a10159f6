"""Editing a goal from its message: every field, milestones added, removed and reordered,
one history line and one message to the partner; bad edits change nothing."""

from datetime import date

from sqlmodel import select

from bot.goals.edit_rules import (
    EDIT_TARGET,
    EDIT_TITLE,
    EDIT_WHY,
    EMPTIED,
    row_due_id,
    row_position_id,
    row_title_id,
)
from storage.models import Goal, GoalEvent, Milestone
from tests.support.harness import MENTEE, MENTOR, OUTSIDER

MILESTONES = [
    ("Write the design doc", date(2026, 3, 20)),
    ("Present it to the team", None),
    ("Ship the first slice", None),
]


def milestones(tandem) -> list[tuple[str, date | None, bool]]:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        rows = session.exec(select(Milestone).order_by(Milestone.position)).all()
        return [(m.title, m.due_date, m.done_at is not None) for m in rows]


def edits(tandem) -> list[str]:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        rows = session.exec(select(GoalEvent).where(GoalEvent.kind == "edited")).all()
        return [e.detail for e in rows]


def open_edit(steps, user: str, message: dict) -> dict:  # type: ignore[no-untyped-def]
    steps.click(user, message, "goal.edit", "views.open")
    view = steps.emulator.open_view(user)
    assert view is not None and view["title"]["text"] == "Edit goal"
    return view


def test_the_partner_edits_everything_at_once_and_the_owner_hears_once(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    steps.click(MENTEE, message, "goal.tick:" + str(_first_milestone_id(tandem)), "chat.update")
    message = tandem.emulator.message(message["channel"], message["ts"])
    view = open_edit(steps, MENTOR, message)
    # What the form shows is the goal as it is.
    assert view["blocks"][0]["element"]["initial_value"] == "Lead the Q3 launch"
    response = tandem.slack.submit_view(
        MENTOR,
        view,
        {
            EDIT_TITLE: "Lead the Q3 launch end to end",
            EDIT_WHY: "It's the step to tech lead.",
            EDIT_TARGET: "2026-07-31",
            row_title_id(0): "Write the design doc",
            row_position_id(0): "2",  # the done one moves down
            row_title_id(1): "Present it to the team",
            row_position_id(1): "1",
            row_title_id(2): "",  # removed
            row_title_id(3): "Run the retro",  # added
            row_due_id(3): "2026-07-15",
        },
    )
    assert response.ok and response.body.strip() == "", response.body
    assert milestones(tandem) == [
        ("Present it to the team", None, False),
        ("Write the design doc", date(2026, 3, 20), True),
        ("Run the retro", date(2026, 7, 15), False),
    ]
    with tandem.session() as session:
        goal = session.exec(select(Goal)).one()
    assert (goal.title, goal.target_date) == ("Lead the Q3 launch end to end", date(2026, 7, 31))
    [detail] = edits(tandem)
    assert "Target date: Tue 30 Jun 2026 → Fri 31 Jul 2026" in detail
    assert "Milestone added: “Run the retro”" in detail
    assert "Milestone removed: “Ship the first slice”" in detail
    assert "Milestones reordered" in detail

    steps.wait_for_post(MENTEE, kind="goal.edited")
    told = [m for m in tandem.emulator.messages(MENTEE) if "edited the goal" in (m["text"] or "")]
    assert len(told) == 1  # one message for every change
    assert "Run the retro" in steps.text_of(told[0])
    assert not any("edited the goal" in (m["text"] or "") for m in tandem.emulator.messages(MENTOR))
    tandem.emulator.wait_for("chat.update", count=2)
    shown = steps.text_of(tandem.emulator.message(message["channel"], message["ts"]))
    assert "Lead the Q3 launch end to end" in shown and "Ship the first slice" not in shown


def _first_milestone_id(tandem) -> int:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        return session.exec(select(Milestone).order_by(Milestone.position)).first().id  # type: ignore[union-attr]


def test_a_target_date_in_the_past_or_every_milestone_removed_changes_nothing(
    tandem, steps
) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    view = open_edit(steps, MENTEE, message)
    answer = tandem.slack.submit_view(MENTEE, view, {EDIT_TARGET: "2026-02-01"})
    assert answer.json["response_action"] == "errors"
    assert "that date has passed" in answer.json["errors"][EDIT_TARGET]

    emptied = {row_title_id(i): "" for i in range(3)}
    answer = tandem.slack.submit_view(MENTEE, view, emptied)
    assert answer.json["errors"] == {row_title_id(0): EMPTIED}

    answer = tandem.slack.submit_view(MENTEE, view, {EDIT_TITLE: ""}, check_required=False)
    assert EDIT_TITLE in answer.json["errors"]
    assert [t for t, _, _ in milestones(tandem)] == [t for t, _ in MILESTONES]
    assert edits(tandem) == []


def test_saving_without_a_change_says_so_and_sends_nothing(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    view = open_edit(steps, MENTEE, message)
    answer = tandem.slack.submit_view(MENTEE, view, {})
    assert answer.json["response_action"] == "update"
    assert "Nothing changed" in str(answer.json["view"])
    assert edits(tandem) == []


def test_an_outsider_cannot_open_or_submit_the_edit(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    response = tandem.slack.click_button_in(message, OUTSIDER, action_id="goal.edit")
    assert response.ok
    tandem.emulator.wait_for("response_url")
    assert (
        "couldn't find that goal" in tandem.emulator.ephemeral_messages(user=OUTSIDER)[-1]["text"]
    )
    view = open_edit(steps, MENTEE, message)
    forged = steps.crafted(MENTEE, view, "VFORGEDEDIT")
    answer = tandem.slack.submit_view(OUTSIDER, forged, {EDIT_TITLE: "Mine now"})
    assert "couldn't find that goal" in str(answer.json)
    assert edits(tandem) == []
