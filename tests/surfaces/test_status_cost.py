"""`/tandem status` and App Home read each area once for all of a person's pairs: a mentor in
20 pairs costs the same SQL statements as a mentor in one (counted, not timed: timings belong
in bench/). Every pair has a review round open, so Home's "answer the review" check is in the
count too."""

from sqlmodel import select

from bench.seed import DUE_AT, STAR, STAR_PAIRS, TEAM, mentor_of, seed
from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.context import Tandem
from bot.reflection.service.reviews import open_round
from bot.surfaces.home_tab import home_view
from bot.surfaces.status import status_message
from devkit.emulator import SlackEmulator
from storage.models import Pair
from tests.support.harness import settings_for_test
from tests.support.statements import statements_on

LONE = mentor_of(STAR_PAIRS)  # the mentor of the one pair after the star's twenty


def programme(url: str, emulator: SlackEmulator) -> Tandem:
    """The star mentor's 20 pairs and one more mentor's single pair, each with a review open."""
    ctx = build_tandem(settings_for_test(url, emulator), clock=FrozenClock(DUE_AT), migrate=False)
    seed(ctx.engine, STAR_PAIRS + 1)
    with ctx.session() as session:
        for pair in session.exec(select(Pair)).all():
            open_round(session, pair, DUE_AT)
    return ctx


def costs(ctx: Tandem, user_id: str) -> tuple[int, int, str, str]:
    """(status statements, Home statements, status text, Home blocks) for `user_id`."""
    with statements_on(ctx.engine) as status, ctx.session() as session:
        reply = status_message(ctx, session, TEAM, user_id, DUE_AT)
    with statements_on(ctx.engine) as home:
        view = home_view(ctx, ctx.client(TEAM), TEAM, user_id)
    return len(status), len(home), reply.text, str(view["blocks"])


def test_status_and_home_cost_the_same_statements_for_one_pair_or_twenty(
    database_url: str, emulator: SlackEmulator
) -> None:
    ctx = programme(database_url, emulator)
    costs(ctx, STAR)  # warm: the first call may read what later calls find in the session
    star_status, star_home, star_text, star_blocks = costs(ctx, STAR)
    lone_status, lone_home, lone_text, lone_blocks = costs(ctx, LONE)
    ctx.engine.dispose()
    assert "in 20 mentoring pair(s)" in star_text and "in 1 mentoring pair(s)" in lone_text
    assert star_blocks.count("Answer the review") > 1
    assert lone_blocks.count("Answer the review") == 1
    assert star_status == lone_status
    assert star_home == lone_home
