"""Anniversaries and streaks in the celebrations channel, with the consent milestones get:
the charter's always / never / ask, and "ask" needs both members' yes."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from storage.models import Celebration, MeetingStatus
from storage.models.goals import ShareStatus
from tests.goals.helpers import add_meetings
from tests.support.harness import CELEBRATIONS_CHANNEL, MENTEE, MENTOR, START

THREE_MONTHS = START + relativedelta(months=3)


def first_met_at_start(tandem, steps) -> None:  # type: ignore[no-untyped-def]
    """The pair's first meeting is held at START: months together count from it."""
    add_meetings(tandem, steps, [MeetingStatus.MET], START)
    tandem.run_due(START)


def posted_in_channel(tandem) -> list[str]:  # type: ignore[no-untyped-def]
    return [m["text"] for m in tandem.emulator.messages(CELEBRATIONS_CHANNEL)]


def consent_dm(tandem, steps, user: str) -> dict:  # type: ignore[no-untyped-def]
    steps.wait_for_post(user, kind="celebrate.ask")
    return [m for m in tandem.emulator.messages(user) if "celebrations channel" in m["text"]][-1]


def occasion(tandem) -> Celebration:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        return session.exec(select(Celebration).where(Celebration.kind == "anniversary")).one()


def test_an_anniversary_is_shared_once_both_say_yes(tandem, with_channel) -> None:
    steps = with_channel
    first_met_at_start(tandem, steps)
    tandem.run_due(THREE_MONTHS)
    cheer = steps.latest(steps.pair.home_channel_id, "3 months of mentoring together")
    assert "it goes out if you both say yes" in steps.text_of(cheer)
    steps.click(MENTOR, consent_dm(tandem, steps, MENTOR), "goal.share", "chat.update")
    assert occasion(tandem).share_status == ShareStatus.ASKED
    assert posted_in_channel(tandem) == []
    steps.click(MENTEE, consent_dm(tandem, steps, MENTEE), "goal.share", "chat.update")
    steps.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    assert len(posted_in_channel(tandem)) == 1
    assert (
        f"<@{MENTOR}> and <@{MENTEE}> have been mentoring together for 3 months"
        in (posted_in_channel(tandem)[0])
    )
    tandem.run_due(THREE_MONTHS + timedelta(minutes=5))
    assert len(posted_in_channel(tandem)) == 1  # once, however often the tick runs


def test_one_no_keeps_it_between_them(tandem, with_channel) -> None:
    steps = with_channel
    first_met_at_start(tandem, steps)
    tandem.run_due(THREE_MONTHS)
    steps.click(MENTEE, consent_dm(tandem, steps, MENTEE), "goal.noshare", "chat.update")
    steps.click(MENTOR, consent_dm(tandem, steps, MENTOR), "goal.share", "chat.update")
    assert occasion(tandem).share_status == ShareStatus.DECLINED
    tandem.run_due(THREE_MONTHS + timedelta(minutes=5))
    assert posted_in_channel(tandem) == []


def test_always_shares_and_never_keeps_quiet(tandem, steps_sharing) -> None:
    always = steps_sharing("always")
    always.set_channel()
    first_met_at_start(tandem, always)
    tandem.run_due(THREE_MONTHS)
    always.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    assert len(posted_in_channel(tandem)) == 1


def test_a_charter_that_never_shares_posts_nothing(tandem, steps_sharing) -> None:
    never = steps_sharing("never")
    never.set_channel()
    first_met_at_start(tandem, never)
    tandem.run_due(THREE_MONTHS)
    never.wait_for_post(never.pair.home_channel_id, kind="celebrate.pair")
    assert occasion(tandem).share_status == ShareStatus.NEVER
    assert posted_in_channel(tandem) == []
