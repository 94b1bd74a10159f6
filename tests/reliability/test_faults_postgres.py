"""PostgreSQL restarted under Tandem: in the middle of signed requests, and of a tick.

Requests that meet the outage get a friendly "try again" (never a 5xx) and leave nothing
behind; every request told "added" is saved once; the outbox picks up where the tick was cut.
"""

import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.delivery.claims import LEASE
from handlers.commands.tandem import SORRY
from handlers.middleware import TRY_AGAIN
from tests.reliability.faults import (
    DAY_BEFORE,
    AgendaTraffic,
    agenda_texts,
    assert_exactly_once,
    delivery,
    finish,
    next_due,
    postgres_server,
    reminder_posted,
    run_due,
    sent_keys,
)
from tests.reliability.observe import errors, report
from tests.support.factories import create_active_pair
from tests.support.fanout import many_pairs
from tests.support.harness import MENTEE, Harness

OUTAGE_SECONDS = 1.5  # long enough for requests to meet the server down, not just restarting


@pytest.mark.slow
@pytest.mark.restarts_postgres
def test_requests_during_a_postgres_restart_are_told_to_try_again_and_leave_nothing_half_written(
    database_url: str, tandem: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    server = postgres_server(database_url)
    tandem.stop_delivery()
    create_active_pair(tandem)
    with AgendaTraffic(tandem.app_url, tandem.emulator, MENTEE) as traffic:
        traffic.wait_saved(10)
        with server.down():
            time.sleep(OUTAGE_SECONDS)
        saved_before = len(traffic.saved())
        traffic.wait_saved(saved_before + 10)  # and the app carries on by itself
    answers = traffic.answers
    saved = {a.text for a in traffic.saved()}
    refused = [a for a in answers if a.text not in saved]
    in_database = agenda_texts(tandem)
    figures = {
        "requests": len(answers),
        "acked_saved": len(saved),
        "told_try_again": sum(1 for a in refused if a.said in (TRY_AGAIN, SORRY)),
        "server_errors": sum(1 for a in answers if a.status is None or a.status >= 500),
        "lost": len(saved - set(in_database)),
        "half_written": sum(1 for a in refused if in_database[a.text]),
        "duplicated": sum(n - 1 for n in in_database.values() if n > 1),
        # Requests cut off inside a transaction log the error they met (no 5xx for it).
        "error_records": len(errors(caplog)),
    }
    report("fault: PostgreSQL restart mid traffic [postgres]", **figures)
    assert figures["told_try_again"] >= 1, figures  # the outage was met
    assert figures["told_try_again"] == len(refused), [a for a in refused][:5]
    assert (figures["server_errors"], figures["lost"]) == (0, 0), figures
    assert (figures["half_written"], figures["duplicated"]) == (0, 0), figures


@pytest.mark.slow
@pytest.mark.restarts_postgres
def test_a_tick_cut_by_a_postgres_restart_resumes_on_the_next_tick(
    database_url: str, tandem: Harness, tmp_path: Path
) -> None:
    server = postgres_server(database_url)
    many_pairs(tandem, 20)
    before = sent_keys(tandem)
    slack = tandem.emulator
    slack.set_latency("chat.postMessage", 0.1)  # 30 posts still to go: 3 s, beyond the outage
    tick = run_due(database_url, slack, DAY_BEFORE, tmp_path)
    slack.wait_for(reminder_posted, timeout=60, count=10)
    with server.down():
        time.sleep(OUTAGE_SECONDS)
    cut_code, _, err = finish(tick)
    # Cut off mid-way, the tick says the database went away (exit 2), without a traceback.
    assert cut_code == 2 and "Traceback" not in err, err
    assert "Tandem cannot use the database" in err, err
    cut = delivery(tandem, before)
    slack.set_latency("chat.postMessage", 0)
    later = DAY_BEFORE + LEASE + timedelta(seconds=1)
    code, out, err = finish(run_due(database_url, slack, later, tmp_path))
    assert code == 0, err
    assert next_due(tandem) is None
    assert_exactly_once(
        "PostgreSQL restart mid tick, next tick",
        database_url,
        delivery(tandem, before),
        delivered_before_restart=cut.delivered,
        cut_tick_exit=cut_code,
    )
