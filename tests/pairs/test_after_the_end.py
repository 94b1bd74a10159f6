"""After the end: Home keeps ended mentorships (Past mentorships) and never welcomes as new
someone who had one; graduates may each choose "keep in touch", and once both did, one light
check-in at 3 and one at 6 months, each with a button that plans a catch-up both see."""

from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from storage.models import Pair, Review, ReviewAnswer
from tests.delivery.helpers import queue
from tests.reflection.helpers import command_modal, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, START, Harness

SECRET_NOTE = "SECRET-NOTE: my manager is the real problem"
PRIVATE_REASON = "PRIVATE-REASON nobody else reads"
WELCOME_WORDS = "Tandem keeps your mentorship alive"


def published_home(tandem: Harness, user: str) -> dict:
    before = len(tandem.emulator.calls("views.publish"))
    tandem.slack.open_home(user)
    [*_, call] = tandem.emulator.wait_for("views.publish", count=before + 1)
    assert call.args["user_id"] == user and call.response["ok"]
    return tandem.emulator.home(user)


def add_review(tandem: Harness, pair_id: int, completed: bool) -> None:
    """A review round as the reflection area records it, both answers (with private notes)."""
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        review = Review(
            team_id=tandem.team_id,
            pair_id=pair_id,
            round=1,
            opened_at=START - timedelta(days=10),
            completed_at=START - timedelta(days=8) if completed else None,
        )
        session.add(review)
        session.flush()
        for person_id, decision in ((pair.mentor_id, "continue"), (pair.mentee_id, "adjust")):
            session.add(
                ReviewAnswer(
                    team_id=tandem.team_id,
                    review_id=review.id,
                    person_id=person_id,
                    value_score=4,
                    time_commitment="right",
                    goals_still_right="yes",
                    decision=decision,
                    note=SECRET_NOTE,
                )
            )


def end(tandem: Harness, user: str = MENTOR, how: str = "graduate", **values: str) -> dict:
    view = command_modal(tandem, user, "end")
    if how == "close":  # the private reason appears once Close is chosen
        before = len(tandem.emulator.calls("views.update"))
        assert tandem.slack.click(user, "reflection.how", value=how, view=view).ok
        tandem.emulator.wait_for("views.update", count=before + 1)
        view = tandem.emulator.open_view(user)
    answer = tandem.slack.submit_view(user, view, {"reflection.how": how, **values})
    assert answer.ok
    return answer.json["view"]


def test_graduates_keep_their_mentorship_on_home_with_its_reviews(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    add_review(tandem, ref.pair_id, completed=True)
    end(tandem, MENTOR, "graduate")
    for user, partner, role in ((MENTOR, MENTEE, "you mentored them"), (MENTEE, MENTOR, "they")):
        home = published_home(tandem, user)
        text = str(home["blocks"])
        assert WELCOME_WORDS not in text  # not a newcomer any more
        assert "No mentorship going on right now" in text and "/tandem join" in text
        past = next(b for b in home["blocks"] if b.get("block_id") == f"home.past.{ref.pair_id}")
        shown = past["text"]["text"]
        assert f"<@{partner}>" in shown and role in shown and "graduated" in shown
        assert shown.count("<!date^") == 3  # began, ended, the review's date
        assert "both answered (continue / adjust)" in shown
        assert SECRET_NOTE not in text  # outcomes, never what anyone wrote
        keep_id = f"home.past.keep.{ref.pair_id}"
        keep = next(b for b in home["blocks"] if b.get("block_id") == keep_id)
        assert keep["elements"][0]["action_id"] == "pair.keep_in_touch"
    assert WELCOME_WORDS in str(published_home(tandem, OUTSIDER)["blocks"])


def test_a_closed_mentorship_shows_how_it_ended_without_its_private_reason(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    add_review(tandem, ref.pair_id, completed=False)
    end(tandem, MENTEE, "close", **{"reflection.reason": PRIVATE_REASON})
    for user in (MENTOR, MENTEE):
        text = str(published_home(tandem, user)["blocks"])
        assert "Past mentorships" in text and "· closed" in text
        assert "not completed" in text and "continue" not in text  # unfinished: no answers
        assert PRIVATE_REASON not in text and SECRET_NOTE not in text
        assert "pair.keep_in_touch" not in text  # keeping in touch is for graduates
        assert WELCOME_WORDS not in text


def check_ins(tandem: Harness, user: str) -> list[dict]:
    return [m for m in tandem.emulator.messages(user) if "How are things?" in str(m["blocks"])]


def test_check_ins_go_only_once_both_chose_and_only_twice(tandem: Harness) -> None:
    create_active_pair(tandem)
    end(tandem, MENTOR, "graduate")
    ended = START
    dm = wait_dm(tandem, MENTEE, "marked your mentorship as graduated")
    assert "Keep in touch" in str(dm["blocks"])
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click_button_in(dm, MENTEE, action_id="pair.keep_in_touch")
    tandem.emulator.wait_for("response_url", count=before + 1)
    said = tandem.emulator.ephemeral_messages(user=MENTEE)[-1]["text"]
    assert "If <@" in said and "chooses it too" in said

    tandem.run_due(ended + relativedelta(months=3, days=1))  # only one chose: nothing
    assert check_ins(tandem, MENTEE) == [] and check_ins(tandem, MENTOR) == []

    # The mentor chooses it on Home, a little after the 3-month mark: the 6-month one is left.
    tandem.clock.set(ended + relativedelta(months=3, days=2))
    home = published_home(tandem, MENTOR)
    tandem.emulator.clear_calls()
    tandem.slack.click_button_in(home, MENTOR, action_id="pair.keep_in_touch")
    tandem.emulator.wait_for("views.publish")
    home = tandem.emulator.home(MENTOR)
    assert "both chose to keep in touch" in str(home["blocks"])
    keep = next(b for b in home["blocks"] if b.get("block_id", "").startswith("home.past.keep"))
    buttons = [e["action_id"] for e in keep["elements"]]
    assert buttons == ["pair.catch_up", "pair.keep_in_touch.stop"]
    told = wait_dm(tandem, MENTEE, "both chose to keep in touch")
    assert f"<@{MENTOR}>" in told["text"]
    tandem.run_due(ended + relativedelta(months=5))
    assert check_ins(tandem, MENTOR) == []

    tandem.run_due(ended + relativedelta(months=6, minutes=1))
    tandem.run_due(ended + relativedelta(months=6, minutes=2))  # twice is once
    for user, partner in ((MENTOR, MENTEE), (MENTEE, MENTOR)):
        [check_in] = check_ins(tandem, user)
        assert f"6 months since you and <@{partner}> graduated" in str(check_in["blocks"])
    tandem.run_due(ended + relativedelta(months=12))
    assert len(check_ins(tandem, MENTOR)) == 1  # no nudges beyond the two


def test_both_at_three_months_then_a_catch_up_both_see(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    end(tandem, MENTEE, "graduate")
    view = tandem.emulator.open_view(MENTEE)  # "Mentorship ended", as Slack shows it
    # The member who ended it chooses in the "Mentorship ended" modal, the other in the DM.
    opened = len(tandem.emulator.calls("views.push"))
    tandem.slack.click_button_in(view, MENTEE, action_id="pair.keep_in_touch")
    tandem.emulator.wait_for("views.push", count=opened + 1)
    dm = wait_dm(tandem, MENTOR, "marked your mentorship as graduated")
    tandem.slack.click_button_in(dm, MENTOR, action_id="pair.keep_in_touch")
    wait_dm(tandem, MENTEE, "both chose to keep in touch")

    tandem.run_due(START + relativedelta(months=3))
    [check_in] = check_ins(tandem, MENTOR)
    assert "3 months" in str(check_in["blocks"]) and "Want to catch up?" in str(check_in)
    assert len(check_ins(tandem, MENTEE)) == 1
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).next_check_in_at == START + relativedelta(months=6)

    before = len(tandem.emulator.calls("views.open"))
    tandem.slack.click_button_in(check_in, MENTOR, action_id="pair.catch_up")
    tandem.emulator.wait_for("views.open", count=before + 1)
    form = tandem.emulator.open_view(MENTOR)
    past = {"catch_up.date": date(2026, 1, 1), "catch_up.time": "10:00"}
    refused = tandem.slack.submit_view(MENTOR, form, past)
    assert "catch_up.date" in refused.json["errors"]
    day = (START + relativedelta(months=3, days=5)).date()
    values = {"catch_up.date": day, "catch_up.time": "12:30", "catch_up.note": "Coffee?"}
    assert tandem.slack.submit_view(MENTOR, form, values).ok
    [post] = tandem.emulator.wait_for(
        lambda c: (
            c.method == "chat.postMessage"
            and c.args.get("channel") == ref.home_channel_id
            and "suggests catching up" in str(c.args.get("blocks"))
        )
    )
    shown = str(post.args["blocks"])
    assert f"<@{MENTOR}> suggests catching up with <@{MENTEE}>" in shown
    assert "<!date^" in shown and "Coffee?" in shown


def test_only_the_two_graduates_may_choose_or_plan(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.slack.click(MENTOR, "pair.keep_in_touch", value=str(ref.pair_id))  # still active
    end(tandem, MENTOR, "graduate")
    tandem.slack.click(OUTSIDER, "pair.keep_in_touch", value=str(ref.pair_id))
    tandem.slack.click(OUTSIDER, "pair.catch_up", value=str(ref.pair_id))
    tandem.settle_listeners()
    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        assert (pair.mentor_keeps_in_touch_at, pair.mentee_keeps_in_touch_at) == (None, None)


def both_keep_in_touch(tandem: Harness) -> None:
    """Graduate (the mentor ends it) and both choose to keep in touch from their messages."""
    end(tandem, MENTOR, "graduate")
    pushed = len(tandem.emulator.calls("views.push"))
    tandem.slack.click_button_in(tandem.emulator.open_view(MENTOR), MENTOR, action_id=KEEP)
    tandem.emulator.wait_for("views.push", count=pushed + 1)  # chosen first: told "noted"
    dm = wait_dm(tandem, MENTEE, "marked your mentorship as graduated")
    tandem.slack.click_button_in(dm, MENTEE, action_id=KEEP)
    wait_dm(tandem, MENTOR, "both chose to keep in touch")


KEEP = "pair.keep_in_touch"


def test_a_check_in_is_routine_it_folds_into_the_digest_over_the_daily_limit(
    tandem: Harness,
) -> None:
    create_active_pair(tandem)
    both_keep_in_touch(tandem)
    due = START + relativedelta(months=3)  # 16:00 in Berlin
    earlier = due - timedelta(minutes=5)
    for n in range(3):  # the mentor's three DMs of the day came first, in a tick of their own
        queue(tandem.ctx, f"test:fill:{n}", MENTOR, earlier, recipient_user_id=MENTOR)
    tandem.run_due(earlier)
    tandem.run_due(due)
    assert check_ins(tandem, MENTOR) == [] and len(check_ins(tandem, MENTEE)) == 1
    tandem.run_due(due + timedelta(hours=16))  # 08:00 in Berlin: the morning's digest
    [digest] = [m for m in tandem.emulator.messages(MENTOR) if "How are things?" in str(m)]
    assert "pair.catch_up" in str(digest["blocks"])  # its button came with it


def test_no_check_in_for_two_who_started_a_new_chapter(tandem: Harness) -> None:
    create_active_pair(tandem)
    both_keep_in_touch(tandem)
    dm = wait_dm(tandem, MENTEE, "marked your mentorship as graduated")
    before = len(tandem.emulator.calls("response_url"))
    tandem.slack.click_button_in(dm, MENTEE, action_id="reflection.chapter")
    tandem.emulator.wait_for("response_url", count=before + 1)
    tandem.run_due(START + relativedelta(months=3))
    tandem.run_due(START + relativedelta(months=6))
    assert check_ins(tandem, MENTOR) == [] and check_ins(tandem, MENTEE) == []


def test_past_mentorships_date_the_end_on_each_readers_own_calendar(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    # 02:00 UTC on 3 March 2026: already the 3rd in Berlin (the mentor), still the 2nd in
    # New York (the mentee). Where Slack shows the fallback, each reads their own date.
    tandem.clock.set(datetime(2026, 3, 3, 2, tzinfo=UTC))
    end(tandem, MENTOR, "graduate")
    for user, day in ((MENTOR, "2026-03-03"), (MENTEE, "2026-03-02")):
        home = published_home(tandem, user)
        past = next(b for b in home["blocks"] if b.get("block_id") == f"home.past.{ref.pair_id}")
        assert f"|{day}> · graduated" in past["text"]["text"], past["text"]["text"]
