"""Giving back counted both ways, in status, on Home and in the review; `/tandem stage`."""

from datetime import timedelta

from bot.charter.status_lines import change_request_status
from bot.core.membership import memberships
from bot.reflection.service.reciprocity import giving_status
from storage.models import Pair
from tests.reflection.helpers import click_modal, command_modal, reply_text, wait_dm
from tests.reflection.test_reviews import MAYA_ANSWERS, NOAH_ANSWERS
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, START, Harness
from tests.support.statements import statements_on


def share_both_ways(tandem: Harness) -> None:
    for text in ("Read 'An Elegant Puzzle'", "tool https://excalidraw.com", "Ask why twice"):
        reply_text(tandem, MENTOR, f"share {text}")
    for text in ("Your RFC template helped", "insight Pairing on reviews works"):
        reply_text(tandem, MENTEE, f"share {text}")


def status(tandem: Harness, user: str) -> str:
    return str(tandem.slack.command(user, "status").json)


def test_status_and_home_count_both_directions(tandem: Harness) -> None:
    create_active_pair(tandem)
    share_both_ways(tandem)
    assert "you shared 3 · received 2 in the last 90 days" in status(tandem, MENTOR)
    assert "you shared 2 · received 3 in the last 90 days" in status(tandem, MENTEE)
    tandem.slack.open_home(MENTEE)
    tandem.emulator.wait_for("views.publish")
    assert "you shared 2 · received 3 in the last 90 days" in str(tandem.emulator.home(MENTEE))
    tandem.clock.set(START + timedelta(days=91))  # older than 90 days: no longer counted
    assert "nothing shared yet in the last 90 days" in status(tandem, MENTOR)


def test_the_review_results_show_giving_back(tandem: Harness) -> None:
    create_active_pair(tandem)
    # Fewer than Noah's three DMs a day, so the review invitation is not folded into a digest.
    reply_text(tandem, MENTOR, "share Read 'An Elegant Puzzle'")
    reply_text(tandem, MENTOR, "share Ask why twice")
    reply_text(tandem, MENTEE, "share Your RFC template helped")
    view = command_modal(tandem, MENTOR, "review")
    tandem.slack.submit_view(MENTOR, view, MAYA_ANSWERS)
    invite = wait_dm(tandem, MENTEE, "has answered your mentorship review")
    view = click_modal(tandem, MENTEE, invite, "reflection.review.open")
    tandem.slack.submit_view(MENTEE, view, NOAH_ANSWERS)
    assert "you shared 1 · received 2" in str(tandem.emulator.open_view(MENTEE))
    dm = wait_dm(tandem, MENTOR, "both answers are in")
    assert "you shared 2 · received 1" in str(dm["blocks"])


def test_the_counts_for_many_pairs_take_the_same_few_queries(tandem: Harness) -> None:
    create_active_pair(tandem)

    def queries_for_mentor() -> int:
        with statements_on(tandem.ctx.engine) as statements, tandem.session() as session:
            mine = memberships(session, tandem.team_id, MENTOR)
            change_request_status(session, mine, tandem.clock.now())
            giving_status(session, mine, tandem.clock.now())
        return len([s for s in statements if "contribution" in s or "change_request" in s])

    one = queries_for_mentor()
    create_active_pair(tandem, mentor=MENTOR, mentee=OTHER_MENTEE)
    assert queries_for_mentor() == one == 2


def test_stage_is_changed_with_the_command(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    shown = tandem.slack.command(MENTEE, "stage").json
    assert "Skill building" in shown["text"]
    assert any(b.get("block_id") == f"reflection.stage.{ref.pair_id}" for b in shown["blocks"])
    assert "now at the *Career strategy* stage" in reply_text(tandem, MENTEE, "stage career")
    wait_dm(tandem, MENTOR, "moved your mentorship to a new stage: Career strategy")
    with tandem.session() as session:
        assert session.get(Pair, ref.pair_id).stage == "career_strategy"
    assert "already at the *Career strategy*" in reply_text(tandem, MENTOR, "stage Career Strategy")
    assert "isn't one of the stages" in reply_text(tandem, MENTOR, "stage banana")
    assert "not in an active mentoring pair" in reply_text(tandem, OUTSIDER, "stage career")
