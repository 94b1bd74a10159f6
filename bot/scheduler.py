"""The tick: ask the database what is due, queue it, send it. APScheduler only wakes us up."""

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.context import Tandem
from bot.delivery.sender import DeliveryReport, deliver_due, next_delivery_at
from bot.delivery.service import queued_together
from bot.surfaces.home_publish import publish_due_homes
from storage.db import session_scope

log = logging.getLogger(__name__)

TICK_SECONDS = 60


@dataclass
class TickReport:
    """What one run of due work did."""

    queued: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    failed_producers: list[str] = field(default_factory=list)  # logged; retried next tick


def run_producers(ctx: Tandem, now: datetime, report: TickReport | None = None) -> TickReport:
    """Queue every piece of work due at `now`: each area's producer in its own transaction,
    in the order bot.assembly gives, all on one database connection.

    One connection for the tick: checking a pooled connection out (and pinging it) for each
    producer cost more round trips than an idle producer's own query.
    """
    report = report or TickReport()
    with ctx.engine.connect() as connection:
        for producer in ctx.parts.producers:
            try:
                # Queued together: one INSERT per batch of messages, not one per message.
                with session_scope(connection) as session, queued_together(session, now) as batch:
                    producer(ctx, session, now)
                report.queued += batch.queued
            except Exception:
                # One broken producer must not stop the others, nor delivery: its transaction
                # is rolled back alone, and the connection goes on with the next.
                log.exception("due work %s failed at %s", producer.__qualname__, now.isoformat())
                report.failed_producers.append(producer.__qualname__)
                ctx.metrics.producer_failures.labels(kind=producer.__qualname__).inc()
    return report


def run_due(
    ctx: Tandem, now: datetime | None = None, *, delivery_seconds: float | None = None
) -> TickReport:
    """Do every piece of due work once: queue it (`run_producers`), then deliver it (at
    Slack's pace; `delivery_seconds` bounds how long the tick keeps claiming rows).

    Safe to run twice, or in two processes at once: the outbox's unique keys and its claims
    mean nothing is queued or sent twice. After downtime, each thing that became due while we
    were away is queued once (producers look at state, not at missed ticks).
    """
    started = time.perf_counter()
    now = now or ctx.clock.now()
    report = run_producers(ctx, now)
    report.delivery = deliver_due(ctx, now, max_seconds=delivery_seconds)
    publish_due_homes(ctx, now)
    ctx.metrics.tick_seconds.observe(time.perf_counter() - started)
    return report


def tick(ctx: Tandem, delivery_seconds: float | None = None) -> TickReport:
    """The minute job: `run_due`, logging one line only when it did something."""
    report = run_due(ctx, delivery_seconds=delivery_seconds)
    done = {name: count for name, count in vars(report.delivery).items() if count}
    if report.queued or done or report.failed_producers:
        counts = ", ".join(f"{name} {count}" for name, count in done.items()) or "nothing sent"
        log.info("tick: queued %d; %s", report.queued, counts)
    return report


class DeliveryWorker:
    """A background thread that sends queued messages as soon as a listener queues them."""

    def __init__(self, ctx: Tandem, idle_seconds: float = TICK_SECONDS) -> None:
        self._ctx = ctx
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = idle_seconds
        self._pass = threading.Lock()  # held while a pass sends
        self._thread = threading.Thread(target=self._run, name="tandem-delivery", daemon=True)

    def start(self) -> None:
        """Start sending in the background."""
        self._thread.start()

    def kick(self) -> None:
        """Send what is due now, without waiting for the next tick."""
        self._wake.set()

    def settle(self, timeout: float = 60) -> None:
        """Wait until the pass in progress (if any) has finished: what it claimed is then
        sent or recorded, not left in flight."""
        if self._pass.acquire(timeout=timeout):
            self._pass.release()

    def stop(self, timeout: float = 5) -> None:
        """Finish the current pass and stop."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            wait = self._idle
            try:
                with self._pass:
                    deliver_due(self._ctx)
                    publish_due_homes(self._ctx)
                upcoming = next_delivery_at(self._ctx)
                if upcoming is not None:
                    gap = (upcoming - self._ctx.clock.now()).total_seconds()
                    wait = min(max(gap, 0.05), self._idle)
            except Exception:
                log.exception("delivery pass failed; retrying in %s s", self._idle)
            self._wake.wait(wait)


def start_scheduler(ctx: Tandem) -> BackgroundScheduler:
    """Run `run_due` every minute in this process: one in-memory job, never two at once.

    Missed ticks are coalesced into one; the tick itself catches up from the database.
    """
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        tick,
        "interval",
        args=[ctx],
        # The delivery worker sends the rest: the next tick's producers must not wait for it.
        kwargs={"delivery_seconds": TICK_SECONDS / 2},
        seconds=TICK_SECONDS,
        id="tandem-tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=TICK_SECONDS,
        next_run_time=datetime.now(UTC) + timedelta(seconds=1),
    )
    scheduler.start()
    return scheduler
