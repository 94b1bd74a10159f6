"""Cohorts with their own settings, over signed HTTP: a cohort's default cadence, review
interval and celebrations channel apply to its pairs (the proposal DM, the charter form, the
review schedule); a cohort that sets none, and pairs in no cohort, live under the workspace's."""

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from bot.programme.blocks.imports import SEND_ACTION
from storage.models import Cohort, Pair, Person
from tests.pairs.steps import click_in_dm, open_charter
from tests.programme.helpers import (
    cohort_modal,
    command_modal,
    ephemeral_reply,
    new_cohort,
    text_of,
)
from tests.programme.test_at_risk import shown_pairs
from tests.reflection.helpers import everything, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import (
    ADMIN,
    CELEBRATIONS_CHANNEL,
    MENTEE,
    MENTOR,
    OTHER_MENTEE,
    START,
    Harness,
)

SPRING_CHANNEL = "CSPRING01"
GUIDE, LEARNER = "UGUIDE001", "ULEARN001"  # a pair in no cohort
OTHER_MENTOR = "UOUTSIDER1"


def workspace_settings(tandem: Harness, cadence: str) -> None:
    """The admin sets the workspace's default cadence and celebrations channel."""
    modal = command_modal(tandem, ADMIN, "admin settings")
    values = {
        ("default_cadence", "value"): cadence,
        ("celebrations_channel", "value"): CELEBRATIONS_CHANNEL,
    }
    response = tandem.slack.submit_view(ADMIN, modal, values)
    assert response.ok and not response.problems, response.body


def initial(view: dict[str, Any], block_id: str) -> Any:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element = block["element"]
    chosen = element.get("initial_option") or {}
    return chosen.get("value") or element.get("initial_conversation")


def import_and_accept(tandem: Harness, lines: str) -> None:
    modal = command_modal(tandem, ADMIN, "admin import")
    tandem.slack.submit_view(ADMIN, modal, {("lines", "value"): lines})
    preview = wait_dm(tandem, ADMIN, "Import preview")
    tandem.slack.click_button_in(preview, ADMIN, action_id=SEND_ACTION)
    tandem.run_due(START)


def pair_of(tandem: Harness, mentor: str) -> Pair:
    with tandem.session() as session:
        person = session.exec(select(Person).where(Person.user_id == mentor)).one()
        return session.exec(select(Pair).where(Pair.mentor_id == person.id)).one()


def test_a_fortnightly_cohort_sets_its_pairs_cadence_and_reviews(tandem: Harness) -> None:
    tandem.emulator.add_channel(SPRING_CHANNEL, "spring-wins")
    tandem.emulator.add_user(GUIDE, "guide", tz="Europe/London")
    tandem.emulator.add_user(LEARNER, "learner", tz="Europe/London")
    workspace_settings(tandem, "weekly")
    new_cohort(
        tandem,
        "Spring",
        default_cadence="biweekly",
        review_interval_months="6",
        celebrations_channel=SPRING_CHANNEL,
    )
    with tandem.session() as session:
        spring = session.exec(select(Cohort)).one()
        assert (spring.default_cadence, spring.review_interval_months) == ("biweekly", 6)
        assert spring.celebrations_channel == SPRING_CHANNEL
    overview = text_of(ephemeral_reply(tandem, ADMIN, "admin cohorts"))
    own = "Its own settings: meets every 2 weeks, reviews every 6 months, wins in <#"
    assert f"{own}{SPRING_CHANNEL}>." in overview

    import_and_accept(tandem, f"{MENTOR},{MENTEE},Spring\n{GUIDE},{LEARNER}")
    in_cohort = everything(wait_dm(tandem, MENTEE, "A mentoring pair for you?"))
    assert "*Expected commitment:* meetings every 2 weeks, until 31 Aug 2026" in in_cohort
    outside = everything(wait_dm(tandem, LEARNER, "A mentoring pair for you?"))
    assert "*Expected commitment:* meetings weekly, open-ended, with a review together every 3" in (
        outside
    )

    for mentor, mentee in ((MENTOR, MENTEE), (GUIDE, LEARNER)):
        click_in_dm(tandem, mentor, "pair.proposal", "pair.accept")
        click_in_dm(tandem, mentee, "pair.proposal", "pair.accept")
    # The charter form offers the cohort's cadence, in the same words as the proposal.
    form = open_charter(tandem, MENTOR)
    assert initial(form, "cadence") == "biweekly"
    assert "Every 2 weeks" in text_of(form)
    assert initial(open_charter(tandem, GUIDE), "cadence") == "weekly"

    tandem.run_due(START)  # the scheduler arms each new pair's review
    spring_pair, other_pair = pair_of(tandem, MENTOR), pair_of(tandem, GUIDE)
    assert spring_pair.activated_at and other_pair.activated_at
    assert spring_pair.next_review_at == spring_pair.activated_at + relativedelta(months=6)
    assert other_pair.next_review_at == other_pair.activated_at + relativedelta(months=3)


def test_the_cohort_modal_shows_and_clears_its_own_settings(tandem: Harness) -> None:
    tandem.emulator.add_channel(SPRING_CHANNEL, "spring-wins")
    workspace_settings(tandem, "monthly")
    modal = cohort_modal(tandem)
    # Each setting starts as the workspace's, saying what that is.
    assert initial(modal, "default_cadence") == "workspace"
    assert "Workspace's: Monthly" in text_of(modal)
    wrong = tandem.slack.submit_view(
        ADMIN,
        modal,
        {
            ("name", "value"): "Autumn",
            ("starts_on", "value"): date(2026, 9, 1),
            ("ends_on", "value"): date(2026, 12, 1),
            ("celebrations_channel", "value"): "not-a-channel",
        },
    )
    assert "Choose a channel" in wrong.json["errors"]["celebrations_channel"]
    new_cohort(tandem, "Autumn", default_cadence="weekly", celebrations_channel=SPRING_CHANNEL)
    with tandem.session() as session:
        autumn = session.exec(select(Cohort)).one()

    edit = cohort_modal(tandem, "programme.cohort.edit", str(autumn.id))
    assert initial(edit, "default_cadence") == "weekly"
    assert initial(edit, "review_interval_months") == "workspace"
    assert initial(edit, "celebrations_channel") == SPRING_CHANNEL
    saved = tandem.slack.submit_view(
        ADMIN,
        edit,
        {("default_cadence", "value"): "workspace", ("workspace_channel", "value"): ["yes"]},
    )
    assert saved.ok and not saved.problems, saved.body
    with tandem.session() as session:
        autumn = session.get(Cohort, autumn.id)
        assert autumn is not None
        assert (autumn.default_cadence, autumn.celebrations_channel) == (None, None)


def test_a_pair_without_a_charter_is_held_to_its_cohorts_cadence(tandem: Harness) -> None:
    """At risk: five weeks without a meeting is two missed fortnights (the workspace's
    default) but not two missed months (a monthly cohort's)."""
    new_cohort(tandem, "Slow", default_cadence="monthly")
    in_cohort = create_active_pair(tandem, charter=None)
    create_active_pair(tandem, mentor=OTHER_MENTOR, mentee=OTHER_MENTEE, charter=None)
    with tandem.session() as session:
        pair = session.get(Pair, in_cohort.pair_id)
        assert pair is not None
        pair.cohort_id = session.exec(select(Cohort)).one().id  # as an import into it would
        session.add(pair)
    tandem.clock.set(tandem.clock.now() + timedelta(weeks=5))
    shown = {mentor: reasons for mentor, reasons in shown_pairs(tandem)}
    assert any("they meet every 2 weeks" in line for line in shown[OTHER_MENTOR])
    assert not any(line.startswith("No meeting logged") for line in shown[MENTOR]), shown
