"""The tick's cost follows what is due, not how many pairs exist: a behavioural guarantee,
counted in SQL statements (timings belong in bench/, this cannot flake on a busy machine)."""

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, update
from sqlmodel import col, select

from bench.seed import AT, DUE_AT, TEAM, seed
from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.context import Tandem
from bot.delivery.service import queued_together
from bot.scheduler import run_due, run_producers
from devkit.emulator import SlackEmulator
from storage.models import CharterAck, CharterVersion, Pair, PairStatus
from storage.queries.workspaces import mark_installed, mark_uninstalled
from tests.support import databases
from tests.support.harness import settings_for_test
from tests.support.statements import statements_on

SMALL, LARGE = 30, 300


def programme(url: str, emulator: SlackEmulator, pairs: int) -> Tandem:
    """A Tandem on `url` holding a seeded programme of `pairs` pairs, clock at its "now"."""
    ctx = build_tandem(settings_for_test(url, emulator), clock=FrozenClock(AT), migrate=False)
    seed(ctx.engine, pairs)
    return ctx


def idle_and_due(ctx: Tandem) -> tuple[int, int, int]:
    """(statements of an idle tick, messages it queued, statements of tracking-only work
    when a few minutes pass with nothing due in a small programme)."""
    run_due(ctx, AT)  # a first tick may warm caches; the programme is already tracked
    with statements_on(ctx.engine) as idle:
        report = run_due(ctx, AT)
    with statements_on(ctx.engine) as later:
        run_producers(ctx, AT + timedelta(minutes=1))
    return len(idle), report.queued, len(later)


def test_an_idle_tick_runs_the_same_statements_at_ten_times_the_pairs(
    database_url: str, emulator: SlackEmulator, sqlite_template: Path, tmp_path: Path
) -> None:
    small = programme(database_url, emulator, SMALL)
    small_idle, small_queued, small_later = idle_and_due(small)
    small.engine.dispose()
    if database_url.startswith("postgresql"):
        databases.reset_postgres(database_url)
        large_url = database_url
    else:
        large_url = databases.sqlite_copy(sqlite_template, tmp_path)
    large = programme(large_url, emulator, LARGE)
    large_idle, large_queued, large_later = idle_and_due(large)
    large.engine.dispose()
    assert (small_queued, large_queued) == (0, 0)  # nothing was due: nothing was queued
    assert large_idle == small_idle
    assert large_later == small_later
    assert small_idle < 40  # a handful per producer, not one per pair


def producer_costs(ctx: Tandem, now: datetime) -> dict[str, tuple[int, int]]:
    """Each producer run alone at `now` (as the tick runs it): (statements, messages queued)."""
    costs = {}
    for producer in ctx.parts.producers:
        with (
            statements_on(ctx.engine) as seen,
            ctx.session() as session,
            queued_together(session, now) as batch,
        ):
            producer(ctx, session, now)
        # A batch holding a mentor's reminder also stores the pair's question (issue 21): one
        # UPDATE for the whole batch, which a batch of follow-ups alone has no reason to run.
        counted = [s for s in seen if not s.startswith("UPDATE pair SET last_question_id")]
        assert len(seen) - len(counted) <= 1, producer.__qualname__
        costs[producer.__qualname__] = (len(counted), batch.queued)
    return costs


def test_a_busy_tick_runs_statements_per_batch_not_per_message(
    database_url: str, emulator: SlackEmulator
) -> None:
    ctx = programme(database_url, emulator, LARGE)
    run_due(ctx, AT)
    few = producer_costs(ctx, DUE_AT)  # 1% of the pairs have something due
    many = producer_costs(ctx, DUE_AT + timedelta(days=3))  # days of work at once
    ctx.engine.dispose()
    busy = [name for name in few if few[name][1] and many[name][1]]
    assert busy, "no producer queued at both instants"
    for name in busy:
        # Many times the messages, the same statements: the batch's rows are read at once and
        # its messages written by one INSERT, not a few statements per due pair or message.
        assert many[name][1] >= 5 * few[name][1], name
        assert many[name][0] == few[name][0], name


def make_due(ctx: Tandem, first: int, count: int) -> None:
    """Pairs `first`.. (`count` of them), alternately: a proposal waiting four days for the
    mentee, and an active pair whose charter nudge and acknowledgement reminder are due (its
    acknowledgements taken back, so the partner is reminded)."""
    ids = list(range(first, first + count))
    with ctx.session() as session:
        session.exec(  # type: ignore[call-overload]
            update(Pair)
            .where(col(Pair.id).in_(ids[::2]), Pair.status == PairStatus.ACTIVE)
            .values(
                status=PairStatus.PROPOSED,
                mentee_accepted_at=None,
                created_at=DUE_AT - timedelta(days=4),
                next_proposal_check_at=DUE_AT - timedelta(minutes=1),
            )
        )
        session.exec(  # type: ignore[call-overload]
            update(Pair)
            .where(col(Pair.id).in_(ids[1::2]), Pair.status == PairStatus.ACTIVE)
            .values(
                next_charter_nudge_at=DUE_AT - timedelta(minutes=1),
                next_ack_reminder_at=DUE_AT - timedelta(minutes=1),
            )
        )
        versions = select(CharterVersion.id).where(col(CharterVersion.pair_id).in_(ids[1::2]))
        session.exec(  # type: ignore[call-overload]
            delete(CharterAck).where(col(CharterAck.charter_version_id).in_(versions))
        )


def test_proposal_and_charter_reminders_cost_statements_per_batch(
    database_url: str, emulator: SlackEmulator
) -> None:
    ctx = programme(database_url, emulator, LARGE)
    run_due(ctx, AT)
    names = ("produce_proposal_checks", "produce_charter_nudges", "produce_ack_reminders")
    make_due(ctx, 1, 6)
    few = producer_costs(ctx, DUE_AT)
    make_due(ctx, 100, 60)
    many = producer_costs(ctx, DUE_AT)
    ctx.engine.dispose()
    for name in names:
        if name != "produce_charter_nudges":  # the seeded pairs have charters: nothing to say
            assert many[name][1] >= 5 * few[name][1] > 0, name
        assert many[name][0] == few[name][0], name


def test_a_tick_does_nothing_for_a_workspace_that_uninstalled_tandem(
    database_url: str, emulator: SlackEmulator
) -> None:
    ctx = programme(database_url, emulator, LARGE)
    run_due(ctx, AT)
    with ctx.session() as session:
        mark_uninstalled(session, TEAM, "app uninstalled", AT)
    with statements_on(ctx.engine) as uninstalled:
        report = run_producers(ctx, DUE_AT)
    assert (report.queued, report.failed_producers) == (0, [])
    with statements_on(ctx.engine) as idle:
        run_producers(ctx, AT)
    # Its due work is left out by the due queries themselves: nothing read pair by pair.
    assert len(uninstalled) == len(idle)
    # Installed again, what became due meanwhile is queued then.
    with ctx.session() as session:
        mark_installed(session, TEAM, DUE_AT)
    assert run_producers(ctx, DUE_AT).queued > 0
    ctx.engine.dispose()
