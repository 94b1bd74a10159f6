"""What a reminder says (agenda, overdue milestones, a topic), and when people get it."""

from datetime import date, timedelta
from typing import Any

from bot.meetings import keys
from bot.meetings.blocks.modals import REMINDERS_BLOCK
from storage.models import Goal, Meeting, MeetingStatus, Milestone, OutboxStatus, Pair
from storage.queries.agenda import overdue_milestones
from tests.meetings.helpers import queued, texts, utc, weekly_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, Harness

DAY_BEFORE = utc(2026, 3, 8, 9)  # Sunday 10:00 Berlin, 05:00 New York


def reminder_in(tandem: Harness, user_id: str) -> dict[str, Any]:
    found = [
        m
        for m in tandem.emulator.messages(user_id)
        if any(b.get("block_id") == "meeting.reminder" for b in m["blocks"] or [])
    ]
    assert found, tandem.emulator.dump_calls()
    return found[-1]


def add_goal(tandem: Harness, pair_id: int, owner_id: int) -> None:
    with tandem.session() as session:
        goal = Goal(
            team_id=tandem.team_id,
            pair_id=pair_id,
            owner_id=owner_id,
            created_by_id=owner_id,
            title="Lead the Q3 launch",
        )
        session.add(goal)
        session.flush()
        for position, (title, due, done) in enumerate(
            [
                ("Write the launch plan", date(2026, 3, 1), None),
                ("Pick the launch date", date(2026, 2, 20), utc(2026, 2, 19)),
                ("Review with stakeholders", date(2026, 3, 20), None),
                ("Kick-off", None, None),
            ]
        ):
            session.add(
                Milestone(
                    team_id=tandem.team_id,
                    goal_id=goal.id,
                    position=position,
                    title=title,
                    due_date=due,
                    done_at=done,
                )
            )


def test_a_reminder_carries_the_agenda_overdue_milestones_and_a_topic(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        mentee_id = pair.mentee_id
        # Last time they covered system design: stakeholders is next in charter order.
        session.add(
            Meeting(
                team_id=tandem.team_id,
                pair_id=ref.pair_id,
                starts_at=utc(2026, 2, 23, 9),
                status=MeetingStatus.MET,
                focus_areas=["system design"],
                next_actions="Noah reads the RFC template.",
            )
        )
    add_goal(tandem, ref.pair_id, mentee_id)
    answer = tandem.slack.command(MENTEE, "agenda how to say no to a VP <politely>")
    added = answer.json["text"]  # the time as Slack's token, its fallback on Noah's clock
    assert "Added to the agenda for <!date^1773046800^{date_short_pretty} at {time}|" in added
    assert "|Mon 9 Mar, 05:00 America/New_York>" in added
    tandem.slack.command(MENTOR, "agenda the promo packet")
    listing = tandem.slack.command(MENTOR, "agenda").json["text"]
    assert "how to say no to a VP &lt;politely&gt;" in listing and "the promo packet" in listing
    tandem.run_due(DAY_BEFORE)
    blocks = str(reminder_in(tandem, MENTOR)["blocks"])
    assert "how to say no to a VP &lt;politely&gt;" in blocks and "(Noah)" in blocks
    assert "the promo packet" in blocks and "(you)" in blocks
    assert "Write the launch plan" in blocks and "(due 1 March)" in blocks
    assert "Pick the launch date" not in blocks and "Review with stakeholders" not in blocks
    assert "*Suggested topic:* stakeholders" in blocks
    assert "Noah reads the RFC template." in blocks
    assert "that's 05:00 (America/New_York) for Noah" in blocks


def test_overdue_milestones_are_judged_on_the_readers_date(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    with tandem.session() as session:
        mentee_id = session.get(Pair, ref.pair_id).mentee_id
    add_goal(tandem, ref.pair_id, mentee_id)
    with tandem.session() as session:
        assert overdue_milestones(session, ref.pair_id, date(2026, 3, 1)) == []
        [(goal, step)] = overdue_milestones(session, ref.pair_id, date(2026, 3, 2))
        assert (goal.title, step.title) == ("Lead the Q3 launch", "Write the launch plan")


def test_quiet_hours_hold_the_mentees_reminder_until_their_morning(tandem: Harness) -> None:
    weekly_pair(tandem)
    tandem.run_due(DAY_BEFORE)
    by_person = {r.recipient_user_id: r for r in queued(tandem, keys.REMINDER)}
    assert by_person[MENTOR].status == OutboxStatus.SENT
    held = by_person[MENTEE]
    assert held.status == OutboxStatus.PENDING
    assert held.deliver_after == utc(2026, 3, 8, 12)  # 08:00 EDT (clocks changed at 02:00)
    assert texts(tandem, MENTEE) == []
    tandem.run_due(utc(2026, 3, 8, 12))
    assert len(texts(tandem, MENTEE)) == 1


def test_the_agenda_asks_for_an_item_and_refuses_an_essay(tandem: Harness) -> None:
    weekly_pair(tandem)
    assert "Nothing on the agenda yet" in tandem.slack.command(MENTEE, "agenda").json["text"]
    long = tandem.slack.command(MENTEE, "agenda " + "x" * 501).json["text"]
    assert "up to 500" in long
    outsider = tandem.slack.command(OUTSIDER, "agenda sneak in").json["text"]
    assert "not in an active mentoring pair" in outsider


def test_snooze_brings_the_nudge_back_a_day_later_once(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    settings_view = open_settings(tandem, ref.pair_id)
    tandem.slack.submit_view(MENTOR, settings_view, {REMINDERS_BLOCK: ["2880", "60"]})
    tandem.run_due(utc(2026, 3, 7, 9))  # Saturday 10:00 Berlin: two days before
    reminder = reminder_in(tandem, MENTOR)
    assert "Mentoring with Noah, Mon 9 Mar, 10:00 Europe/Berlin" in str(reminder["blocks"])
    tandem.slack.click_button_in(reminder, MENTOR, action_id="meeting.snooze")
    tandem.emulator.wait_for("chat.update")
    snoozed = tandem.emulator.message(MENTOR, reminder["ts"])["text"]
    assert "Snoozed" in snoozed and "|Sun 8 Mar, 10:00 Europe/Berlin>" in snoozed  # her clock
    [again] = [r for r in queued(tandem, keys.REMINDER) if r.key.startswith("snooze:")]
    assert again.deliver_after == utc(2026, 3, 8, 9) and again.recipient_user_id == MENTOR
    # Clicking the old button again does not queue a second copy; the partner cannot snooze it.
    tandem.slack.click(MENTOR, "meeting.snooze", value=reminder_key(tandem, MENTOR))
    tandem.slack.click(MENTEE, "meeting.snooze", value=reminder_key(tandem, MENTOR))
    tandem.emulator.wait_for("response_url")
    assert len([r for r in queued(tandem, keys.REMINDER) if r.key.startswith("snooze:")]) == 1
    tandem.run_due(utc(2026, 3, 8, 9))
    shown = [str(m["blocks"]) for m in tandem.emulator.messages(MENTOR)]
    # The original now says "Snoozed"; the copy came back, a day later, once.
    assert len(shown) == 2 and "Snoozed" in shown[0]
    assert "Mentoring with Noah, Mon 9 Mar, 10:00 Europe/Berlin" in shown[1]


def reminder_key(tandem: Harness, user_id: str) -> str:
    return next(
        r.key
        for r in queued(tandem, keys.REMINDER)
        if r.recipient_user_id == user_id and ":2880:" in r.key
    )


def open_settings(tandem: Harness, pair_id: int) -> dict[str, Any]:
    opened = len(tandem.emulator.calls("views.open"))
    tandem.slack.click(MENTOR, "meeting.settings", value=str(pair_id))
    tandem.emulator.wait_for("views.open", count=opened + 1)
    return tandem.emulator.open_view(MENTOR)


def test_reminder_settings_apply_to_both_and_can_turn_reminders_off(tandem: Harness) -> None:
    ref = weekly_pair(tandem)
    view = open_settings(tandem, ref.pair_id)
    ticked = next(b for b in view["blocks"] if b.get("block_id") == REMINDERS_BLOCK)
    # One reminder by default (issue 17; it was a day and an hour): the day before.
    assert [o["value"] for o in ticked["element"]["initial_options"]] == ["1440"]
    tandem.slack.submit_view(MENTOR, view, {REMINDERS_BLOCK: ["180"]})
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).reminder_offsets == [180]
    tandem.run_due(DAY_BEFORE)
    assert queued(tandem, keys.REMINDER) == []
    tandem.run_due(utc(2026, 3, 9, 6))  # three hours before
    assert {r.recipient_user_id for r in queued(tandem, keys.REMINDER)} == {MENTOR, MENTEE}
    # The outsider can't open the pair's settings.
    tandem.slack.click(OUTSIDER, "meeting.settings", value=str(ref.pair_id))
    tandem.emulator.wait_for("response_url")
    assert tandem.emulator.open_view(OUTSIDER) is None
    view = open_settings(tandem, ref.pair_id)
    tandem.slack.submit_view(MENTOR, view, {REMINDERS_BLOCK: []})
    tandem.run_due(utc(2026, 3, 16, 9) - timedelta(hours=1))
    assert len(queued(tandem, keys.REMINDER)) == 2
