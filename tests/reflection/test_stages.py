"""Stages: either member moves the pair on from the review results; changes are kept."""

from sqlmodel import select

from bot.core.kit import checked_view, section
from bot.core.membership import memberships
from bot.reflection.blocks.stage import stage_select_block
from bot.reflection.signals import health_lines
from storage.models import Pair, StageChange
from tests.reflection.helpers import command_modal, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OUTSIDER, START, Harness

ANSWERS = {
    "reflection.value": "5",
    "reflection.time": "right",
    "reflection.goals": "no",
    "reflection.decision": "adjust",
}


def test_the_stage_changes_from_the_review_results_and_is_kept(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    for person in (MENTOR, MENTEE):
        tandem.slack.submit_view(person, command_modal(tandem, person, "review"), ANSWERS)
    results = wait_dm(tandem, MENTEE, "both answers are in")
    tandem.slack.click(
        MENTEE,
        f"reflection.stage.{ref.pair_id}",
        f"{ref.pair_id}:career_strategy",
        message=results,
    )
    told = wait_dm(tandem, MENTOR, "new stage")
    assert "Career strategy" in told["text"]
    tandem.emulator.wait_for("response_url")
    assert "now at the *Career strategy* stage" in str(
        tandem.emulator.ephemeral_messages(user=MENTEE)
    )
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).stage == "career_strategy"
        change = session.exec(select(StageChange)).one()
        assert (change.from_stage, change.to_stage) == ("skill_building", "career_strategy")
    history = tandem.slack.command(MENTOR, "review history").json
    assert "Stages: Career strategy" in str(history["blocks"])


def test_the_stage_block_fits_anywhere_and_outsiders_cannot_use_it(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    with tandem.session() as session:
        block = stage_select_block(session.get(Pair, ref.pair_id))
    assert block["accessory"]["initial_option"]["value"] == f"{ref.pair_id}:skill_building"
    opened = len(tandem.emulator.calls("views.open"))
    response = tandem.slack.click(
        OUTSIDER,
        f"reflection.stage.{ref.pair_id}",
        f"{ref.pair_id}:peer_collaboration",
        view={"id": "VHOME", "type": "home", "blocks": [block]},
    )
    assert response.ok
    tandem.emulator.wait_for("views.open", count=opened + 1)  # this click's, not an earlier one
    assert "couldn't find that mentorship" in str(tandem.emulator.open_view(OUTSIDER))
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).stage == "skill_building"
        assert session.exec(select(StageChange)).all() == []


def test_status_blocks_for_several_pairs_share_the_home_tab(tandem: Harness) -> None:
    first = create_active_pair(tandem)
    second = create_active_pair(tandem, mentor=MENTEE, mentee="UMENTEE02")
    with tandem.session() as session:
        blocks = [
            block
            for membership in memberships(session, tandem.team_id, MENTEE)
            for block in (
                stage_select_block(membership.pair),
                section("\n".join(health_lines(session, membership, START, with_stage=False))),
            )
        ]
    home = checked_view({"type": "home", "blocks": blocks})
    tandem.ctx.client(tandem.team_id).views_publish(user_id=MENTEE, view=home)
    published = tandem.emulator.home(MENTEE)
    assert "too early to tell" in str(published)
    tandem.slack.click(
        MENTEE,
        f"reflection.stage.{second.pair_id}",
        f"{second.pair_id}:peer_collaboration",
        view=published,
    )
    wait_dm(tandem, "UMENTEE02", "Peer collaboration")
    with tandem.session() as session:
        assert session.get(Pair, second.pair_id).stage == "peer_collaboration"
        assert session.get(Pair, first.pair_id).stage == "skill_building"
