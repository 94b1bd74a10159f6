"""Writes that were acknowledged stay written: handlers and the scheduler writing one SQLite file
at once, and `tandem serve` stopped with SIGTERM and started again in the middle of traffic."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from bot.scheduler import run_due as tick
from tests.reliability.faults import (
    DAY_BEFORE,
    AgendaTraffic,
    Served,
    agenda_texts,
    backend,
    delivery,
    posted_keys,
    sent_keys,
)
from tests.reliability.observe import errors, log_text, report
from tests.support.factories import create_active_pair
from tests.support.fanout import many_pairs
from tests.support.harness import MENTEE, Harness

WRITES = 60  # agenda items acknowledged while the scheduler loops
TICKS = 5  # at least


def write_figures(answers: list, saved: set[str], in_database: dict[str, int]) -> dict[str, int]:
    return {
        "requests": len(answers),
        "acked_saved": len(saved),
        "server_errors": sum(1 for a in answers if a.status is not None and a.status >= 500),
        "lost": len(saved - set(in_database)),
        "duplicated": sum(n - 1 for n in in_database.values() if n > 1),
    }


@pytest.mark.slow
def test_handlers_and_the_scheduler_writing_at_once_lose_nothing_and_never_lock(
    database_url: str, tandem: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # SQLite's one writer is the point; on PostgreSQL the same traffic proves the same.
    many_pairs(tandem, 10)
    create_active_pair(tandem)
    before = sent_keys(tandem)
    stop, ticks, failures = threading.Event(), [0], []

    def scheduler() -> None:  # the minute tick, looping as fast as it can
        at = DAY_BEFORE
        while not stop.is_set():
            try:
                tick(tandem.ctx, at)
            except Exception as error:  # surfaced below
                failures.append(error)
            ticks[0] += 1
            at += timedelta(minutes=1)

    looping = threading.Thread(target=scheduler, daemon=True)
    looping.start()
    try:
        with AgendaTraffic(tandem.app_url, tandem.emulator, MENTEE, threads=4) as traffic:
            traffic.wait_saved(WRITES)
            while ticks[0] < TICKS and looping.is_alive():  # writing while the ticks write
                traffic.wait_saved(len(traffic.saved()) + 1)
    finally:
        stop.set()
        looping.join(60)
    tandem.run_due(DAY_BEFORE + timedelta(hours=1))
    saved = {a.text for a in traffic.saved()}
    figures = write_figures(traffic.answers, saved, agenda_texts(tandem))
    figures["not_saved"] = len(traffic.answers) - len(saved)
    figures["ticks"] = ticks[0]
    figures["locked"] = log_text(caplog).count("database is locked")
    report(f"fault: handlers + scheduler writing at once [{backend(database_url)}]", **figures)
    assert failures == [] and errors(caplog) == [], (failures, errors(caplog))
    assert figures["not_saved"] == 0 and figures["locked"] == 0, figures
    assert (figures["server_errors"], figures["lost"], figures["duplicated"]) == (0, 0, 0)
    result = delivery(tandem, before)
    assert result.duplicated == 0 and result.unexpected == [], result


@pytest.mark.slow
def test_serve_stopped_with_sigterm_and_restarted_mid_traffic_keeps_every_acked_write(
    database_url: str, tandem: Harness, tmp_path: Path
) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    served = Served(database_url, tandem.emulator, tmp_path)
    served.start()
    try:
        with AgendaTraffic(f"{served.base}/slack/events", tandem.emulator, MENTEE) as traffic:
            traffic.wait_saved(15)
            code, logged = served.terminate()
            assert code == 0, logged
            assert "Traceback" not in logged, logged
            served.start()
            traffic.wait_saved(len(traffic.saved()) + 15)
    finally:
        served.stop()
    saved = {a.text for a in traffic.saved()}
    figures = write_figures(traffic.answers, saved, agenda_texts(tandem))
    figures["unanswered"] = sum(1 for a in traffic.answers if a.status is None)
    # What the two serve processes posted (partner notifications): never twice.
    figures["posts_duplicated"] = sum(n - 1 for n in posted_keys(tandem.emulator).values())
    report(f"fault: serve SIGTERM + restart mid traffic [{backend(database_url)}]", **figures)
    assert (figures["server_errors"], figures["lost"], figures["duplicated"]) == (0, 0, 0)
    assert figures["posts_duplicated"] == 0, figures
