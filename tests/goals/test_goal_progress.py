"""Moving goals forward: the Done button, `/tandem update`, experiments, and outsiders."""

from datetime import date

from sqlmodel import select

from bot.goals import form_rules
from storage.models import GoalEvent, GoalUpdate, Milestone
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER

MILESTONES = [("Write the design doc", date(2026, 3, 20)), ("Run the kickoff", None)]


def milestones(tandem) -> list[Milestone]:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        return list(session.exec(select(Milestone).order_by(Milestone.position)))


def events(tandem) -> list[str]:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        return [e.kind for e in session.exec(select(GoalEvent).order_by(GoalEvent.id))]


def done_button(message: dict, index: int = 0) -> str:
    buttons = [b["accessory"]["action_id"] for b in message["blocks"] if "goal.tick:" in str(b)]
    return buttons[index]


def test_done_ticks_the_milestone_and_updates_the_message_in_place(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    steps.click(MENTOR, message, done_button(message), "chat.update")
    first = milestones(tandem)[0]
    assert first.done_at == tandem.clock.now()
    current = tandem.emulator.message(message["channel"], message["ts"])
    text = steps.text_of(current)
    assert "✅ Write the design doc" in text and "1 of 2 milestones done" in text
    assert len([b for b in current["blocks"] if "goal.tick:" in str(b)]) == 1
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    cheer = steps.latest(steps.pair.home_channel_id, "Milestone done")
    assert "Write the design doc" in steps.text_of(cheer) and "1 of 2" in steps.text_of(cheer)
    assert events(tandem) == ["created", "milestone_done"]


def test_a_second_click_on_an_old_done_button_changes_nothing(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    action = done_button(message)
    # Slack is slow to show the ticked message, so the button is clicked again meanwhile.
    tandem.emulator.set_latency("chat.update", 0.3)
    for _ in range(2):
        assert tandem.slack.click(MENTEE, action, message=message).ok
    tandem.emulator.wait_for("chat.update", count=2)
    assert events(tandem) == ["created", "milestone_done"]
    tandem.run_due()
    cheers = [
        m
        for m in tandem.emulator.messages(steps.pair.home_channel_id)
        if "Milestone done" in m["text"]
    ]
    assert len(cheers) == 1


def test_an_outsider_clicking_a_copied_done_button_gets_nothing(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    response = tandem.slack.click(OUTSIDER, done_button(message), message=message)
    assert response.ok
    reply = tandem.emulator.wait_for("response_url")[0]
    assert "Nothing changed" in reply.args["text"] and "design doc" not in reply.args["text"]
    assert all(m.done_at is None for m in milestones(tandem))
    assert tandem.emulator.calls("chat.update") == []
    assert events(tandem) == ["created"]


def test_update_without_goals_points_to_tandem_goal(tandem, steps) -> None:
    response = tandem.slack.command(MENTEE, "update")
    assert "/tandem goal" in response.json["text"]
    assert tandem.emulator.open_view(MENTEE) is None


def test_an_update_reaches_the_partner_in_the_group_dm(tandem, steps) -> None:
    steps.create_goal(milestones=MILESTONES)
    view = steps.open_modal(MENTEE, "update")
    response = tandem.slack.submit_view(
        MENTEE,
        view,
        {
            form_rules.PERCENT: "40",
            form_rules.HAPPENED: "Drafted the doc & got <feedback>.",
            form_rules.NEXT: "Review with Maya",
            form_rules.BLOCKERS: "Waiting on infra numbers",
        },
    )
    assert response.body.strip() == "" and response.problems == []
    steps.wait_for_post(steps.pair.home_channel_id, kind="goal.update")
    update = steps.latest(steps.pair.home_channel_id, "Progress on")
    text = steps.text_of(update)
    assert f"<@{MENTEE}> posted progress" in text and "*40%*" in text and "(was 0%)" in text
    assert "Drafted the doc &amp; got &lt;feedback&gt;." in text
    assert "Review with Maya" in text and "Waiting on infra numbers" in text
    with tandem.session() as session:
        saved = session.exec(select(GoalUpdate)).one()
        assert (saved.percent, saved.is_experiment, saved.blockers) == (
            40,
            False,
            "Waiting on infra numbers",
        )
    assert events(tandem) == ["created", "progress"]


def test_an_experiment_needs_hypothesis_tried_and_result(tandem, steps) -> None:
    steps.create_goal()
    view = steps.open_modal(MENTEE, "update")
    values = {
        form_rules.PERCENT: "10",
        form_rules.HAPPENED: "Tried pairing on reviews",
        form_rules.EXPERIMENT: [form_rules.EXPERIMENT_YES],
        form_rules.TRIED: "Two pairing sessions",
    }
    response = tandem.slack.submit_view(MENTEE, view, values)
    assert set(response.json["errors"]) == {form_rules.HYPOTHESIS, form_rules.RESULT}
    with tandem.session() as session:
        assert session.exec(select(GoalUpdate)).all() == []

    values |= {form_rules.HYPOTHESIS: "Pairing halves review time", form_rules.RESULT: "It did"}
    assert tandem.slack.submit_view(MENTEE, view, values).body.strip() == ""
    steps.wait_for_post(steps.pair.home_channel_id, kind="goal.update")
    text = steps.text_of(steps.latest(steps.pair.home_channel_id, "Progress on"))
    assert "posted an experiment" in text and "Pairing halves review time" in text


def test_the_server_refuses_a_percent_slack_would_not_allow(tandem, steps) -> None:
    steps.create_goal()
    view = steps.crafted(MENTEE, steps.open_modal(MENTEE, "update"), "VCRAFTED3")
    for bad in ("150", "-5", "4.5", "lots"):
        response = tandem.slack.submit_view(
            MENTEE, view, {form_rules.PERCENT: bad, form_rules.HAPPENED: "x"}
        )
        assert response.json["errors"][form_rules.PERCENT] == "Enter a whole number from 0 to 100."


def test_milestones_are_ticked_and_unticked_from_the_update(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    first, second = milestones(tandem)
    steps.click(MENTEE, message, done_button(message), "chat.update")  # first one done
    view = steps.open_modal(MENTEE, "update")
    box = form_rules.milestones_block_id(first.goal_id)
    shown = next(b for b in view["blocks"] if b["block_id"] == box)["element"]
    assert [o["value"] for o in shown["initial_options"]] == [str(first.id)]
    updates_before = len(tandem.emulator.calls("chat.update"))
    response = tandem.slack.submit_view(
        MENTEE,
        view,
        {form_rules.PERCENT: "50", form_rules.HAPPENED: "Kickoff done", box: [str(second.id)]},
    )
    assert response.body.strip() == ""
    first, second = milestones(tandem)
    assert first.done_at is None and second.done_at is not None
    assert events(tandem)[-3:] == ["progress", "milestone_done", "milestone_undone"]
    # The goal's message follows, edited in place.
    tandem.emulator.wait_for("chat.update", count=updates_before + 1)
    current = tandem.emulator.message(message["channel"], message["ts"])
    assert "✅ Run the kickoff" in steps.text_of(current) and "50%" in steps.text_of(current)


def test_a_milestone_the_partner_ticked_meanwhile_is_left_alone(tandem, steps) -> None:
    message = steps.create_goal(milestones=MILESTONES)
    view = steps.open_modal(MENTEE, "update")  # nothing ticked yet
    steps.click(MENTOR, message, done_button(message), "chat.update")  # partner ticks meanwhile
    response = tandem.slack.submit_view(
        MENTEE, view, {form_rules.PERCENT: "30", form_rules.HAPPENED: "Progress"}
    )
    assert response.body.strip() == ""
    assert milestones(tandem)[0].done_at is not None


def test_post_progress_button_and_goal_choice_show_the_right_milestones(tandem, steps) -> None:
    first_message = steps.create_goal(title="First goal", milestones=MILESTONES)
    steps.create_goal(title="Second goal", milestones=[("Only step", None)])
    view = steps.open_modal(MENTEE, "update")
    assert not any(b.get("block_id", "").startswith("upd.ms.") for b in view["blocks"])
    goal_select = next(b for b in view["blocks"] if b["block_id"] == form_rules.UPDATE_GOAL)
    second_id = goal_select["element"]["options"][1]["value"]
    tandem.slack.click(MENTEE, form_rules.UPDATE_GOAL, second_id, view=view)
    tandem.emulator.wait_for("views.update")
    updated = tandem.emulator.open_view(MENTEE)
    box = next(b for b in updated["blocks"] if b["block_id"].startswith("upd.ms."))
    assert [o["text"]["text"] for o in box["element"]["options"]] == ["Only step"]

    tandem.slack.close_view(MENTEE, updated)
    steps.click(MENTOR, first_message, "goal.progress", "views.open")
    opened = tandem.emulator.open_view(MENTOR)
    chosen = next(b for b in opened["blocks"] if b["block_id"] == form_rules.UPDATE_GOAL)
    assert chosen["element"]["initial_option"]["text"]["text"] == "First goal"


def test_a_crafted_update_on_another_pairs_goal_changes_nothing(tandem, steps) -> None:
    steps.create_goal(milestones=MILESTONES)
    other = create_active_pair(tandem, mentee=OTHER_MENTEE)
    view = steps.crafted(MENTEE, steps.open_modal(MENTEE, "update"), "VCRAFTED4")
    goal_id = steps.goal_id()
    first = milestones(tandem)[0]
    values = {
        form_rules.PERCENT: "99",
        form_rules.HAPPENED: "I was never here",
        form_rules.milestones_block_id(goal_id): [str(first.id)],
    }
    for intruder in (OUTSIDER, OTHER_MENTEE):
        response = tandem.slack.submit_view(intruder, view, values)
        assert response.json["response_action"] == "update"
        assert "couldn't find" in steps.text_of(response.json["view"])
    with tandem.session() as session:
        assert session.exec(select(GoalUpdate)).all() == []
    assert milestones(tandem)[0].done_at is None
    assert tandem.emulator.messages(other.home_channel_id) == []
