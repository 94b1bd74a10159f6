"""The tick: ask the database what is due, queue it, send it. APScheduler only wakes us up."""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import Session

from bot.core.context import Tandem
from bot.delivery.sender import DeliveryReport, deliver_due, next_delivery_at
from bot.goals.announcements import produce_share_outcomes
from bot.goals.occasions import produce_celebrations
from bot.meetings.jobs import PRODUCERS as MEETING_PRODUCERS
from bot.pairs.group_dm import produce_pair_homes
from bot.reflection.jobs import REFLECTION_PRODUCERS

log = logging.getLogger(__name__)

# A producer looks at the database at `now` and queues whatever became due (returning how many
# messages it queued). It must be idempotent: outbox keys make a repeated call add nothing.
Producer = Callable[[Tandem, Session, datetime], int]

PRODUCERS: list[Producer] = [
    # Meetings first: they end pauses that are over, which the others then respect.
    *MEETING_PRODUCERS,  # meetings, reminders, follow-ups, lapses, pauses
    produce_pair_homes,  # greet pairs whose group DM could not be opened at first
    *REFLECTION_PRODUCERS,  # feedback prompts, reviews, giving back
    produce_celebrations,  # anniversaries and meeting streaks
    produce_share_outcomes,  # tell owners when a channel refused an announcement
]

TICK_SECONDS = 60


@dataclass
class TickReport:
    """What one run of due work did."""

    queued: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    failed_producers: list[str] = field(default_factory=list)  # logged; retried next tick


def run_due(ctx: Tandem, now: datetime | None = None) -> TickReport:
    """Do every piece of due work once: each producer in its own transaction, then deliver.

    Safe to run twice, or in two processes at once: the outbox's unique keys and its claims
    mean nothing is queued or sent twice. After downtime, each thing that became due while we
    were away is queued once (producers look at state, not at missed ticks).
    """
    now = now or ctx.clock.now()
    report = TickReport()
    for producer in PRODUCERS:
        try:
            with ctx.session() as session:
                report.queued += producer(ctx, session, now)
        except Exception:
            # One broken producer must not stop the others, nor delivery.
            log.exception("due work %s failed at %s", producer.__qualname__, now.isoformat())
            report.failed_producers.append(producer.__qualname__)
    report.delivery = deliver_due(ctx, now)
    return report


class DeliveryWorker:
    """A background thread that sends queued messages as soon as a listener queues them."""

    def __init__(self, ctx: Tandem, idle_seconds: float = TICK_SECONDS) -> None:
        self._ctx = ctx
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = idle_seconds
        self._thread = threading.Thread(target=self._run, name="tandem-delivery", daemon=True)

    def start(self) -> None:
        """Start sending in the background."""
        self._thread.start()

    def kick(self) -> None:
        """Send what is due now, without waiting for the next tick."""
        self._wake.set()

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
                deliver_due(self._ctx)
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
        run_due,
        "interval",
        args=[ctx],
        seconds=TICK_SECONDS,
        id="tandem-tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=TICK_SECONDS,
        next_run_time=datetime.now(UTC) + timedelta(seconds=1),
    )
    scheduler.start()
    return scheduler
