"""Anniversaries and meeting streaks: celebrated in the group DM once each, by the scheduler."""

from datetime import UTC, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from bot.goals.occasions import reached_anniversary, reached_streak
from storage.models import Celebration, MeetingStatus, Pair, PairStatus
from tests.goals.helpers import add_meetings
from tests.support.harness import START


def cheers(tandem, steps, words: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        m["text"]
        for m in tandem.emulator.messages(steps.pair.home_channel_id)
        if words in m["text"]
    ]


def set_status(tandem, steps, status: str) -> None:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        pair = session.get(Pair, steps.pair.pair_id)
        pair.status = status
        session.add(pair)


def test_anniversaries_come_once_each(tandem, steps) -> None:
    # Each run_due sends what it queued before the clock moves on: with the background sender
    # also running, a cheer it had claimed could still be in flight (or its wait time out)
    # when the next run jumped months ahead, on a loaded machine.
    tandem.stop_delivery()
    add_meetings(tandem, steps, [MeetingStatus.MET], START)  # months count from it (issue 17)
    three = START + relativedelta(months=3)
    tandem.run_due(three - timedelta(minutes=1))
    tandem.run_due(three)
    tandem.run_due(three + timedelta(days=1))
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    tandem.run_due(START + relativedelta(months=6))
    tandem.run_due(START + relativedelta(months=12, days=2))
    tandem.run_due(START + relativedelta(months=12, days=3))
    steps.wait_for_post(steps.pair.home_channel_id, count=3, kind="celebrate.pair")
    assert cheers(tandem, steps, "of mentoring together") == [
        "3 months of mentoring together",
        "6 months of mentoring together",
        "a whole year of mentoring together",
    ]
    [text, *_] = [
        steps.text_of(m)
        for m in tandem.emulator.messages(steps.pair.home_channel_id)
        if "of mentoring together" in steps.text_of(m)
    ]
    assert f"<@{steps.pair.mentor_user_id}>" in text and f"<@{steps.pair.mentee_user_id}>" in text


def test_paused_pairs_wait_and_stale_anniversaries_stay_quiet(tandem, steps) -> None:
    tandem.stop_delivery()
    add_meetings(tandem, steps, [MeetingStatus.MET], START)
    tandem.run_due(START)
    set_status(tandem, steps, PairStatus.PAUSED)
    tandem.run_due(START + relativedelta(months=3))
    assert cheers(tandem, steps, "mentoring together") == []
    set_status(tandem, steps, PairStatus.ACTIVE)
    tandem.run_due(START + relativedelta(months=3, days=5))  # resumed soon after: still welcome
    assert cheers(tandem, steps, "mentoring together") == ["3 months of mentoring together"]

    set_status(tandem, steps, PairStatus.PAUSED)
    tandem.run_due(START + relativedelta(months=6))
    set_status(tandem, steps, PairStatus.ACTIVE)
    tandem.run_due(START + relativedelta(months=7))  # a month late: recorded, not announced
    tandem.run_due(START + relativedelta(months=7, days=1))
    assert len(cheers(tandem, steps, "mentoring together")) == 1
    with tandem.session() as session:
        keys = sorted(c.subject_key for c in session.exec(select(Celebration)))
    assert keys == ["3m", "6m"]


def test_months_together_count_from_the_first_meeting_held_never_from_the_pairing(
    tandem, steps
) -> None:
    tandem.stop_delivery()
    tandem.run_due(START + relativedelta(months=3))  # paired three months ago, never met
    tandem.run_due(START + relativedelta(months=3, days=1))
    assert cheers(tandem, steps, "mentoring together") == []
    first = START + relativedelta(months=3, days=2)
    add_meetings(tandem, steps, [MeetingStatus.MET], first)
    tandem.run_due(first)
    tandem.run_due(first + relativedelta(months=3) - timedelta(minutes=1))
    assert cheers(tandem, steps, "mentoring together") == []
    tandem.run_due(first + relativedelta(months=3))
    assert cheers(tandem, steps, "mentoring together") == ["3 months of mentoring together"]


def test_ended_pairs_get_no_anniversary(tandem, steps) -> None:
    tandem.stop_delivery()
    set_status(tandem, steps, PairStatus.ENDED)
    tandem.run_due(START + relativedelta(months=3))
    assert cheers(tandem, steps, "mentoring together") == []


def test_a_streak_of_five_kept_meetings_is_celebrated_once_per_run(tandem, steps) -> None:
    tandem.stop_delivery()
    start = START - timedelta(weeks=5)
    after_five = add_meetings(tandem, steps, [MeetingStatus.MET] * 5, start)
    tandem.run_due()
    tandem.run_due()
    assert cheers(tandem, steps, "meetings in a row") == ["5 meetings in a row"]

    # One more kept: no new celebration. Then a skip breaks the run; five more make a new one.
    later = add_meetings(tandem, steps, [MeetingStatus.MET, MeetingStatus.SKIPPED], after_five)
    later = add_meetings(tandem, steps, [MeetingStatus.MET] * 4, later)
    tandem.run_due(later)
    assert len(cheers(tandem, steps, "meetings in a row")) == 1
    later = add_meetings(tandem, steps, [MeetingStatus.MET], later)
    tandem.run_due(later)
    tandem.run_due(later + timedelta(hours=1))
    assert cheers(tandem, steps, "meetings in a row") == ["5 meetings in a row"] * 2


def test_rescheduled_and_future_meetings_neither_count_nor_break(tandem, steps) -> None:
    tandem.stop_delivery()
    start = START - timedelta(weeks=6)
    statuses = [MeetingStatus.MET] * 2 + [MeetingStatus.RESCHEDULED] + [MeetingStatus.MET] * 2
    after = add_meetings(tandem, steps, statuses, start)
    add_meetings(tandem, steps, [MeetingStatus.MET], START + timedelta(weeks=2))  # not yet
    tandem.run_due()
    assert cheers(tandem, steps, "meetings in a row") == []
    add_meetings(tandem, steps, [MeetingStatus.MET], after)
    tandem.run_due()
    assert cheers(tandem, steps, "meetings in a row") == ["5 meetings in a row"]


def test_anniversary_and_streak_rules() -> None:
    end_of_november = datetime(2025, 11, 30, 12, 0, tzinfo=UTC)
    assert reached_anniversary(end_of_november, datetime(2026, 2, 28, 11, 59, tzinfo=UTC)) is None
    assert reached_anniversary(end_of_november, datetime(2026, 2, 28, 12, 0, tzinfo=UTC)) == (
        3,
        datetime(2026, 2, 28, 12, 0, tzinfo=UTC),
    )
    assert reached_anniversary(end_of_november, datetime(2027, 1, 1, tzinfo=UTC))[0] == 12
    assert [reached_streak(n) for n in (4, 5, 9, 10, 19, 20, 60)] == [None, 5, 5, 10, 10, 20, 50]
