"""`/tandem goal`: the modal, its rules, and the goal posted to the pair's group DM."""

from datetime import UTC, date, datetime

from sqlmodel import select

from bot.core.picker import PAIR_ACTION_ID, PAIR_BLOCK_ID
from bot.goals import form_rules
from storage.models import Goal, GoalEvent, Milestone, OutboxMessage, Person
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER


def saved(tandem, model):  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        return list(session.exec(select(model)))


def test_goal_with_milestones_is_saved_and_posted_to_the_pair(tandem, steps) -> None:
    message = steps.create_goal(
        milestones=[
            ("Write the design doc", date(2026, 3, 20)),
            ("Run the kickoff", None),
            ("Ship the beta", date(2026, 6, 1)),
        ]
    )
    goal = saved(tandem, Goal)[0]
    assert (goal.title, goal.why, goal.target_date) == (
        "Lead the Q3 launch",
        "It's the step to tech lead.",
        date(2026, 6, 30),
    )
    assert goal.owner_id == goal.created_by_id  # "me": the mentee who set it
    milestones = sorted(saved(tandem, Milestone), key=lambda m: m.position)
    assert [(m.position, m.title, m.due_date) for m in milestones] == [
        (0, "Write the design doc", date(2026, 3, 20)),
        (1, "Run the kickoff", None),
        (2, "Ship the beta", date(2026, 6, 1)),
    ]
    assert [e.kind for e in saved(tandem, GoalEvent)] == ["created"]
    text = steps.text_of(message)
    assert "Lead the Q3 launch" in text and f"<@{MENTEE}>" in text
    assert "It's the step to tech lead." in text and "Tue 30 Jun 2026" in text
    done_buttons = [b for b in message["blocks"] if "goal.tick:" in str(b.get("accessory"))]
    assert len(done_buttons) == 3


def test_the_owner_is_either_member_and_the_mentee_by_default(tandem, steps) -> None:
    view = steps.open_goal_modal(MENTOR)
    owner = next(b for b in view["blocks"] if b["block_id"] == form_rules.OWNER)["element"]
    labels = [o["text"]["text"] for o in owner["options"]]
    assert labels == ["Me (Maya)", "Noah (my mentee)"]
    assert owner["initial_option"]["value"] == form_rules.OWNER_PARTNER
    response = tandem.slack.submit_view(
        MENTOR, view, steps.goal_values(owner=form_rules.OWNER_PARTNER)
    )
    assert response.ok and response.body.strip() == ""
    goal = saved(tandem, Goal)[0]
    with tandem.session() as session:
        assert session.get(Person, goal.owner_id).user_id == MENTEE
        assert session.get(Person, goal.created_by_id).user_id == MENTOR


def test_past_dates_are_judged_in_the_submitters_own_timezone(tandem, steps) -> None:
    # 02:00 UTC on 3 March: still 2 March in New York (the mentee), already 3 March in Berlin.
    tandem.clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    values = steps.goal_values(target=date(2026, 3, 2))
    mentee_view = steps.open_goal_modal(MENTEE)
    assert tandem.slack.submit_view(MENTEE, mentee_view, values).body.strip() == ""

    mentor_view = steps.open_goal_modal(MENTOR)
    response = tandem.slack.submit_view(MENTOR, mentor_view, values)
    assert response.json["response_action"] == "errors"
    assert "Tue 3 Mar 2026" in response.json["errors"][form_rules.TARGET]
    assert len(saved(tandem, Goal)) == 1


def test_milestone_dates_must_fit_the_goal_and_nothing_is_half_saved(tandem, steps) -> None:
    view = steps.open_goal_modal()
    values = steps.goal_values(
        target=date(2026, 4, 30),
        milestones=[
            ("Fine", date(2026, 4, 30)),
            ("After the target", date(2026, 5, 1)),
            ("In the past", date(2026, 3, 1)),
        ],
    )
    values[form_rules.milestone_due_id(3)] = "2026-04-01"  # a date without a name
    response = tandem.slack.submit_view(MENTEE, view, values)
    errors = response.json["errors"]
    assert set(errors) == {form_rules.milestone_due_id(i) for i in (1, 2, 3)}
    assert "target date (Thu 30 Apr 2026)" in errors[form_rules.milestone_due_id(1)]
    assert "past" in errors[form_rules.milestone_due_id(2)]
    assert "Name this milestone" in errors[form_rules.milestone_due_id(3)]
    assert response.problems == []  # every error points at an input Slack can show it under
    assert saved(tandem, Goal) == [] and saved(tandem, Milestone) == []
    assert saved(tandem, OutboxMessage) == []


def test_server_checks_lengths_even_when_slacks_client_is_bypassed(tandem, steps) -> None:
    view = steps.open_goal_modal()
    crafted = steps.crafted(MENTEE, view, "VCRAFTED1")
    values = steps.goal_values(title="x" * 151, why="y" * 1001)
    response = tandem.slack.submit_view(MENTEE, crafted, values)
    errors = response.json["errors"]
    assert "150 characters (it has 151)" in errors[form_rules.TITLE]
    assert "1000 characters (it has 1001)" in errors[form_rules.WHY]
    assert saved(tandem, Goal) == []


def test_several_pairs_choose_in_the_modal_or_by_naming_the_partner(tandem, steps) -> None:
    second = create_active_pair(tandem, mentee=OTHER_MENTEE)
    view = steps.open_goal_modal(MENTOR)
    picker = next(b for b in view["blocks"] if b["block_id"] == PAIR_BLOCK_ID)
    assert len(picker["element"]["options"]) == 2
    response = tandem.slack.submit_view(
        MENTOR,
        view,
        {**steps.goal_values(), PAIR_ACTION_ID: str(second.pair_id)},
    )
    assert response.body.strip() == ""
    steps.wait_for_post(second.home_channel_id, kind="goal.new")
    assert saved(tandem, Goal)[0].pair_id == second.pair_id

    named = steps.open_goal_modal(MENTOR, f"<@{MENTEE}|noah>")
    assert all(b["block_id"] != PAIR_BLOCK_ID for b in named["blocks"])


def test_people_without_a_pair_get_a_hint_and_no_modal(tandem, steps) -> None:
    response = tandem.slack.command(OUTSIDER, "goal")
    assert "/tandem pair" in response.json["text"]
    assert tandem.emulator.open_view(OUTSIDER) is None


def test_a_crafted_submission_for_someone_elses_pair_saves_nothing(tandem, steps) -> None:
    view = steps.open_goal_modal(MENTEE)
    crafted = steps.crafted(MENTEE, view, "VCRAFTED2")
    response = tandem.slack.submit_view(OUTSIDER, crafted, steps.goal_values())
    assert response.json["response_action"] == "update"
    assert "couldn't find" in steps.text_of(response.json["view"])
    assert saved(tandem, Goal) == [] and saved(tandem, OutboxMessage) == []


def test_ten_milestones_and_long_texts_stay_inside_slacks_limits(tandem, steps) -> None:
    milestones = [(f"{i} " + "m" * 148, date(2026, 6, i + 1)) for i in range(10)]
    view = steps.open_goal_modal()
    assert len(view["blocks"]) <= 100
    values = steps.goal_values(title="T" * 150, why="<why> & " * 125, milestones=milestones)
    assert tandem.slack.submit_view(MENTEE, view, values).body.strip() == ""
    message = steps.wait_for_post(steps.pair.home_channel_id, kind="goal.new")[0]
    assert message.response["ok"], message.response
    assert len(message.args["blocks"]) <= 50
    assert len(saved(tandem, Milestone)) == 10

    # The longest update, ticking all ten milestones at once, fits too.
    update_view = steps.open_modal(MENTEE, "update")
    assert len(update_view["blocks"]) <= 100
    box = next(b["block_id"] for b in update_view["blocks"] if b["block_id"].startswith("upd.ms."))
    ids = [
        o["value"]
        for o in next(b for b in update_view["blocks"] if b["block_id"] == box)["element"][
            "options"
        ]
    ]
    long_values = {
        form_rules.PERCENT: "100",
        form_rules.HAPPENED: "&" * form_rules.HAPPENED_MAX,
        form_rules.NEXT: "<" * form_rules.NOTE_MAX,
        form_rules.BLOCKERS: ">" * form_rules.NOTE_MAX,
        form_rules.EXPERIMENT: [form_rules.EXPERIMENT_YES],
        form_rules.HYPOTHESIS: "h" * form_rules.NOTE_MAX,
        form_rules.TRIED: "t" * form_rules.NOTE_MAX,
        form_rules.RESULT: "r" * form_rules.NOTE_MAX,
        box: ids,
    }
    assert tandem.slack.submit_view(MENTEE, update_view, long_values).body.strip() == ""
    posted = steps.wait_for_post(steps.pair.home_channel_id, kind="goal.update")[0]
    assert posted.response["ok"], posted.response
    steps.wait_for_post(steps.pair.home_channel_id, count=10, kind="celebrate.pair")
    refreshed = tandem.emulator.wait_for("chat.update")[-1]
    assert refreshed.response["ok"], refreshed.response
