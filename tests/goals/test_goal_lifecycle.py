"""Completing, pausing, resuming and dropping goals: buttons, reasons, history, old buttons."""

from datetime import date

from sqlmodel import select

from bot.goals import form_rules
from storage.models import Goal, GoalEvent, GoalStatus, Pair, PairStatus
from tests.support.harness import MENTEE, MENTOR, OUTSIDER

MILESTONES = [("Write the design doc", date(2026, 3, 20))]


def goal(tandem) -> Goal:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        return session.exec(select(Goal)).one()


def history(tandem) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        rows = session.exec(select(GoalEvent).order_by(GoalEvent.id))
        return [(e.kind, e.detail) for e in rows]


def open_status(steps, user: str, message: dict, action: str) -> dict:  # type: ignore[no-untyped-def]
    steps.click(user, message, action, "views.open")
    view = steps.emulator.open_view(user)
    assert view is not None
    return view


def test_pause_with_a_reason_then_resume(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    view = open_status(steps, MENTEE, message, "goal.pause")
    assert view["title"]["text"] == "Pause goal"
    response = tandem.slack.submit_view(MENTEE, view, {form_rules.REASON: "Launch moved to Q4"})
    assert response.body.strip() == ""
    assert goal(tandem).status == GoalStatus.PAUSED
    steps.wait_for_post(steps.pair.home_channel_id, kind="goal.status")
    note = steps.text_of(steps.latest(steps.pair.home_channel_id, "Goal paused"))
    assert f"<@{MENTEE}> ⏸ paused" in note and "Launch moved to Q4" in note
    tandem.emulator.wait_for("chat.update")
    paused = tandem.emulator.message(message["channel"], message["ts"])
    text = steps.text_of(paused)
    assert "⏸ Paused: Launch moved to Q4" in text and "goal.tick:" not in str(paused["blocks"])

    steps.click(MENTOR, paused, "goal.resume", "chat.update")
    assert goal(tandem).status == GoalStatus.ACTIVE
    resumed = tandem.emulator.message(message["channel"], message["ts"])
    assert "goal.tick:" in str(resumed["blocks"])
    assert [kind for kind, _ in history(tandem)] == ["created", "paused", "resumed"]


def test_dropping_needs_a_reason_and_old_buttons_then_do_nothing(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    view = open_status(steps, MENTEE, message, "goal.drop")
    response = tandem.slack.submit_view(MENTEE, view, {}, check_required=False)
    assert form_rules.REASON in response.json["errors"]
    assert goal(tandem).status == GoalStatus.ACTIVE

    response = tandem.slack.submit_view(MENTEE, view, {form_rules.REASON: "Not my priority now"})
    assert response.body.strip() == ""
    assert (goal(tandem).status, goal(tandem).status_reason) == (
        GoalStatus.DROPPED,
        "Not my priority now",
    )
    assert history(tandem)[-1] == ("dropped", "Not my priority now")
    tandem.emulator.wait_for("chat.update")

    # A Done button on a copy of the message from before the drop.
    stale = tandem.emulator.add_message(
        message["channel"], message["text"], user=MENTEE, blocks=message["blocks"]
    )
    tandem.slack.click_button_in(stale, MENTOR, action_id="goal.pause")
    reply = tandem.emulator.wait_for("response_url")[-1]
    assert "dropped now, so it can't be paused" in reply.args["text"]
    assert goal(tandem).status == GoalStatus.DROPPED


def test_completing_celebrates_and_cannot_happen_twice(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    view = open_status(steps, MENTEE, message, "goal.complete")
    response = tandem.slack.submit_view(MENTEE, view, {form_rules.REASON: "Weekly demos helped"})
    assert response.body.strip() == ""
    done = goal(tandem)
    assert (done.status, done.percent, done.completed_at) == (
        GoalStatus.COMPLETED,
        100,
        tandem.clock.now(),
    )
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    cheer = steps.text_of(steps.latest(steps.pair.home_channel_id, "Goal complete"))
    assert f"Congratulations <@{MENTEE}>" in cheer and f"thank you <@{MENTOR}>" in cheer
    assert "Weekly demos helped" in cheer
    tandem.emulator.wait_for("chat.update")
    final = tandem.emulator.message(message["channel"], message["ts"])
    assert "🏆 Completed" in steps.text_of(final)
    assert not any(b["type"] == "actions" for b in final["blocks"])

    stale = tandem.emulator.add_message(
        message["channel"], "copy", user=MENTEE, blocks=message["blocks"]
    )
    tandem.slack.click_button_in(stale, MENTEE, action_id="goal.complete")
    reply = tandem.emulator.wait_for("response_url")[-1]
    assert "completed now, so it can't be completed" in reply.args["text"]
    assert [kind for kind, _ in history(tandem)] == ["created", "completed"]


def test_outsiders_cannot_change_a_goal(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    for action in ("goal.pause", "goal.drop", "goal.complete", "goal.progress"):
        tandem.slack.click_button_in(message, OUTSIDER, action_id=action)
    replies = tandem.emulator.wait_for("response_url", count=4)
    assert all("Nothing changed" in r.args["text"] for r in replies)
    assert tandem.emulator.open_view(OUTSIDER) is None
    assert goal(tandem).status == GoalStatus.ACTIVE
    assert [kind for kind, _ in history(tandem)] == ["created"]


def test_goals_of_an_ended_pair_stay_as_they_were(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    with tandem.session() as session:
        pair = session.get(Pair, steps.pair.pair_id)
        pair.status = PairStatus.ENDED
        session.add(pair)
    tandem.slack.click_button_in(message, MENTEE, action_id="goal.pause")
    reply = tandem.emulator.wait_for("response_url")[-1]
    assert "has ended" in reply.args["text"]
    assert goal(tandem).status == GoalStatus.ACTIVE
