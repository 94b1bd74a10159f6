"""A cohort's own celebrations channel, over signed HTTP: a win of a pair in a cohort that set
one is announced there; a cohort that set none announces in the workspace's channel."""

import pytest
from sqlmodel import select

from storage.models import Cohort, Pair
from tests.goals.test_celebration_sharing import tick_first_milestone
from tests.programme.helpers import new_cohort
from tests.support.harness import CELEBRATIONS_CHANNEL

SPRING_CHANNEL = "CSPRING01"


@pytest.mark.parametrize(
    ("own", "announced_in", "not_in"),
    [
        ({"celebrations_channel": SPRING_CHANNEL}, SPRING_CHANNEL, CELEBRATIONS_CHANNEL),
        ({}, CELEBRATIONS_CHANNEL, SPRING_CHANNEL),
    ],
    ids=["cohort-channel", "workspace-channel"],
)
def test_a_win_is_announced_in_its_cohorts_channel(
    tandem, steps_sharing, own: dict[str, str], announced_in: str, not_in: str
) -> None:
    tandem.emulator.add_channel(SPRING_CHANNEL, "spring-wins")
    steps = steps_sharing("always")
    steps.set_channel()  # the workspace's channel
    new_cohort(tandem, "Spring", **own)
    with tandem.session() as session:
        spring = session.exec(select(Cohort)).one()
        pair = session.get(Pair, steps.pair.pair_id)
        pair.cohort_id = spring.id  # as an import into the cohort would have made it
        session.add(pair)

    tick_first_milestone(steps)
    steps.wait_for_post(announced_in, kind="celebrate.announce")
    [post] = tandem.emulator.messages(announced_in)
    assert "Write the design doc" in steps.text_of(post)
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    cheer = steps.text_of(steps.latest(steps.pair.home_channel_id, "Milestone done"))
    assert f"<#{announced_in}>" in cheer
    assert tandem.emulator.messages(not_in) == []
