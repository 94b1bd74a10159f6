"""Cadence drift over a season, as the pair lives it: weekly meetings answered "Met" or
"Skipped" in the group DM over signed HTTP, the scheduler run as time moves on."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.reflection.blocks.drift import ADOPT, KEEP, REVIEW
from bot.reflection.drift import KIND
from devkit.emulator.server import Call
from storage.models import OutboxMessage, Pair
from tests.meetings.helpers import queued, utc
from tests.programme.helpers import ephemeral_reply, text_of
from tests.reflection.helpers import command_modal
from tests.reflection.test_reviews import MAYA_ANSWERS, NOAH_ANSWERS
from tests.support.factories import PairRef, create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, START, Harness

BERLIN = ZoneInfo("Europe/Berlin")
FIRST_MONDAY = date(2026, 3, 9)  # the charter's first meeting: Mondays 10:00 in Berlin
EVERY_OTHER = (
    "You agreed to meet weekly. Over the last 8 weeks you met 4 times, about every 2 weeks."
)

Meets = Callable[[int], bool]


def every_week(week: int) -> bool:
    return True


def every_other_week(week: int) -> bool:
    return week % 2 == 0


def monday(week: int) -> datetime:
    """13:00 UTC on the Monday of `week` (0: the first meeting's): after the meeting, with
    "did you meet?" asked and both members awake."""
    day = FIRST_MONDAY + timedelta(weeks=week)
    return utc(day.year, day.month, day.day, 13)


def answer_followup(tandem: Harness, ref: PairRef, week: int, met: bool) -> None:
    """A member answers the "did you meet?" of `week`'s meeting in the group DM (once the
    sender has posted it: an older one's buttons would change an older meeting)."""
    day = FIRST_MONDAY + timedelta(weeks=week)
    stamp = f"<!date^{int(datetime.combine(day, time(10), BERLIN).timestamp())}^"

    def asked(call: Call) -> bool:
        args = call.args
        return (
            call.method == "chat.postMessage"
            and args.get("channel") == ref.home_channel_id
            and "meeting.followup" in str(args.get("blocks"))
            and stamp in str(args.get("blocks"))
        )

    tandem.emulator.wait_for(asked)
    [message] = [
        m
        for m in tandem.emulator.messages(ref.home_channel_id)
        if "meeting.followup" in str(m.get("blocks")) and stamp in str(m.get("blocks"))
    ]
    action = "meeting.met" if met else "meeting.skip"
    tandem.slack.click_button_in(message, MENTOR, action_id=action)
    marked = "*Met*" if met else "*Skipped*"
    tandem.emulator.wait_for(
        lambda call: (
            call.method == "chat.update" and marked in str(call.args) and stamp in str(call.args)
        )
    )


def live(tandem: Harness, pairs: list[tuple[PairRef, Meets]], weeks: range) -> None:
    """Each week: the meeting's follow-up answered as `Meets` says, the tick run on Monday
    afternoon and again on Tuesday."""
    for week in weeks:
        tandem.run_due(monday(week))
        for ref, meets in pairs:
            answer_followup(tandem, ref, week, meets(week))
        tandem.run_due(monday(week) + timedelta(days=1))


def offers(tandem: Harness, ref: PairRef) -> list[OutboxMessage]:
    return [row for row in queued(tandem, KIND) if row.pair_id == ref.pair_id]


def offer_in_home(tandem: Harness, ref: PairRef) -> dict:
    """The offer as posted in the pair's group DM (once the sender has posted it)."""
    tandem.emulator.wait_for(
        lambda call: call.method == "chat.postMessage" and "drift.offer" in str(call.args)
    )
    [message] = [
        m
        for m in tandem.emulator.messages(ref.home_channel_id)
        if any(b.get("block_id") == "drift.offer" for b in m.get("blocks") or [])
    ]
    return message


def said(tandem: Harness, words: str) -> None:
    """Wait until Tandem has updated the offer to `words`."""
    tandem.emulator.wait_for(lambda call: call.method == "chat.update" and words in str(call.args))


def pair_row(tandem: Harness, ref: PairRef) -> Pair:
    with tandem.session() as session:
        found = session.get(Pair, ref.pair_id)
        assert found is not None
        return found


def two_pairs(tandem: Harness) -> tuple[PairRef, PairRef]:
    """Maya with Noah (they will drift) and with Ines (they will meet as agreed), both
    weekly on Mondays at 10:00 in Berlin."""
    drifting = create_active_pair(tandem)
    steady = create_active_pair(tandem, mentee=OTHER_MENTEE)
    tandem.run_due(START)
    return drifting, steady


def test_the_drifting_pair_is_told_once_in_numbers_and_the_steady_pair_never(
    tandem: Harness,
) -> None:
    drifting, steady = two_pairs(tandem)
    live(tandem, [(drifting, every_other_week), (steady, every_week)], range(7))
    assert queued(tandem, KIND) == []  # seven expected meetings: not enough evidence yet
    live(tandem, [(drifting, every_other_week), (steady, every_week)], range(7, 13))
    [offer] = offers(tandem, drifting)
    assert offer.channel == drifting.home_channel_id
    assert offers(tandem, steady) == []
    # Offered the day after the window filled (the 8th meeting, 27 April), and only then.
    assert offer.created_at.date() == date(2026, 4, 28)
    message = offer_in_home(tandem, drifting)
    assert message["text"] == EVERY_OTHER
    buttons = [
        element["text"]["text"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert buttons == ["Make it every 2 weeks", "Keep weekly", "Talk about it in our review"]
    # Status and Home say it too; the steady pair's say nothing of the kind.
    status = str(tandem.slack.command(MENTEE, "status").json)
    assert "agreed weekly · lived every 2 weeks" in status
    tandem.emulator.clear_calls()
    tandem.slack.open_home(MENTOR)
    [home] = tandem.emulator.wait_for("views.publish")
    assert str(home.args["view"]["blocks"]).count("agreed weekly · lived") == 1
    assert "lived" not in str(tandem.slack.command(OTHER_MENTEE, "status").json)
    # The admins see "drifting" among the reasons, in numbers only.
    listed = text_of(ephemeral_reply(tandem, ADMIN, "admin pairs"))
    assert "Met 4 times where 8 were agreed (weekly)" in listed


def test_make_it_every_2_weeks_goes_to_the_partner_to_co_sign(tandem: Harness) -> None:
    drifting, _ = two_pairs(tandem)
    live(tandem, [(drifting, every_other_week)], range(9))
    offer = offer_in_home(tandem, drifting)
    tandem.emulator.clear_calls()
    tandem.slack.click_button_in(offer, MENTEE, action_id=ADOPT)
    tandem.emulator.wait_for("views.open")
    view = tandem.emulator.open_view(MENTEE)
    assert view is not None and view["callback_id"].startswith("charter")
    assert "every 2 weeks*, the rhythm you have been living" in str(view["blocks"])
    answer = tandem.slack.submit_view(MENTEE, view)
    assert answer.ok and answer.problems == []
    tandem.run_due(tandem.clock.now())
    [request] = [row for row in queued(tandem, "charter.ack_request") if row.key.endswith(":2")]
    assert request.recipient_user_id == MENTOR and "Every 2 weeks" in request.text + str(
        request.blocks
    )
    # Until Maya co-signs, the weekly rhythm stands; once she does, the series follows.
    with tandem.session() as session:
        from storage.queries.meetings import series_of

        assert "INTERVAL=1" in series_of(session, drifting.pair_id).rrule
    [asked] = [
        m for m in tandem.emulator.messages(MENTOR) if "charter.ack" in str(m.get("blocks"))
    ][-1:]
    tandem.emulator.clear_calls()
    tandem.slack.click_button_in(asked, MENTOR, action_id="charter.ack")
    tandem.emulator.wait_for("chat.update")  # the request gives way to the thanks
    with tandem.session() as session:
        assert "INTERVAL=2" in series_of(session, drifting.pair_id).rrule
    # What was seen under the weekly charter is forgotten.
    assert "lived" not in str(tandem.slack.command(MENTEE, "status").json)


def test_keep_weekly_silences_it_for_8_weeks(tandem: Harness) -> None:
    drifting, _ = two_pairs(tandem)
    live(tandem, [(drifting, every_other_week)], range(8))
    kept_at = tandem.clock.now()
    tandem.slack.click_button_in(offer_in_home(tandem, drifting), MENTOR, action_id=KEEP)
    said(tandem, "Maya chose to keep meeting weekly")
    assert "Maya chose to keep meeting weekly" in offer_in_home_or_kept(tandem, drifting)
    assert pair_row(tandem, drifting).drift_quiet_until == kept_at + timedelta(weeks=8)
    live(tandem, [(drifting, every_other_week)], range(8, 15))  # still drifting, 7 weeks on
    assert len(offers(tandem, drifting)) == 1
    live(tandem, [(drifting, every_other_week)], range(15, 16))
    again = offers(tandem, drifting)
    assert len(again) == 2 and again[1].created_at >= kept_at + timedelta(weeks=8)


def offer_in_home_or_kept(tandem: Harness, ref: PairRef) -> str:
    """The text of the message the offer was, as it reads now."""
    return str(tandem.emulator.messages(ref.home_channel_id))


def test_talk_about_it_in_our_review_puts_it_in_the_next_review(tandem: Harness) -> None:
    drifting = create_active_pair(tandem)
    tandem.run_due(START)
    live(tandem, [(drifting, every_other_week)], range(8))
    tandem.slack.click_button_in(offer_in_home(tandem, drifting), MENTEE, action_id=REVIEW)
    said(tandem, "Noah added your rhythm to your next review")
    assert "Noah added your rhythm to your next review" in offer_in_home_or_kept(tandem, drifting)
    assert pair_row(tandem, drifting).drift_to_review
    # The review falls due three months after the pairing: its invitation carries the topic.
    live(tandem, [(drifting, every_other_week)], range(8, 14))
    invitations = [
        row for row in queued(tandem, "reflection.review") if row.pair_id == drifting.pair_id
    ]
    assert invitations and all(
        "You wanted to talk about your rhythm." in str(row.blocks) for row in invitations
    )
    assert "Over the last 8 weeks you met 4 times" in str(invitations[0].blocks)
    # In the review itself too; once both have answered, it was that review's topic.
    view = command_modal(tandem, MENTEE, "review")
    assert "You wanted to talk about your rhythm." in str(view["blocks"])
    tandem.slack.submit_view(MENTEE, view, NOAH_ANSWERS)
    assert pair_row(tandem, drifting).drift_to_review
    tandem.slack.submit_view(MENTOR, command_modal(tandem, MENTOR, "review"), MAYA_ANSWERS)
    assert not pair_row(tandem, drifting).drift_to_review


def test_a_paused_pair_is_never_offered_it(tandem: Harness) -> None:
    drifting = create_active_pair(tandem)
    tandem.run_due(START)
    live(tandem, [(drifting, every_other_week)], range(6))
    assert "Paused until" in tandem.slack.command(MENTOR, "pause until 2026-05-11").json["text"]
    for day in range(20):  # daily ticks through the pause (20 April to 9 May)
        tandem.run_due(monday(6) + timedelta(days=day))
    assert offers(tandem, drifting) == []
    tandem.run_due(utc(2026, 5, 11, 6))  # it ended at midnight in Berlin: resumed
    # Back on 11 May: the weeks of the pause are not missed meetings. Two more weeks of
    # evidence fill the window (6 before the pause, 2 after), and only then is it offered.
    live(tandem, [(drifting, every_other_week)], range(9, 11))
    assert offers(tandem, drifting) == []
    live(tandem, [(drifting, every_other_week)], range(11, 12))
    [offer] = offers(tandem, drifting)
    assert offer.text == EVERY_OTHER
