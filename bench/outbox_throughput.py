"""How fast the outbox sends: queue N DMs, then deliver them to the emulator.

On SQLite (one process) and, when TANDEM_TEST_POSTGRES_URL names a server (`make bench` starts
one), on PostgreSQL with one and with two concurrent senders.
"""

import os
import threading
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy.engine import make_url

from bench.common import TEAM, emulator, postgres_database, settings, sqlite_url
from bot.app import build_tandem
from bot.core.clock import FrozenClock
from bot.core.people import ensure_workspace
from bot.delivery.sender import deliver_due
from bot.delivery.service import enqueue

MESSAGES = 1000
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _measure(url: str, senders: int, slack) -> str:  # type: ignore[no-untyped-def]
    ctx = build_tandem(settings(url, slack), clock=FrozenClock(NOW), migrate=True)
    start = time.perf_counter()
    with ctx.session() as session:
        ensure_workspace(session, TEAM)
        for n in range(MESSAGES):
            enqueue(
                session,
                team_id=TEAM,
                key=f"bench:{uuid.uuid4().hex}:{n}",
                kind="bench",
                channel=f"UB{n % 50:05d}",
                text=f"message {n}",
                deliver_after=NOW,
            )
    queued = time.perf_counter() - start
    slack.clear_calls()
    start = time.perf_counter()
    threads = [threading.Thread(target=deliver_due, args=(ctx, NOW)) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = time.perf_counter() - start
    posted = len(slack.calls("chat.postMessage"))
    ctx.engine.dispose()
    assert posted == MESSAGES, f"{posted} posts for {MESSAGES} messages"
    backend = make_url(url).get_backend_name()
    return (
        f"| {backend} | {senders} | {MESSAGES} | {MESSAGES / queued:.0f}/s | "
        f"{MESSAGES / sent:.0f}/s | {posted} |"
    )


def main() -> None:
    """Print the table and how to reproduce it."""
    print("## Outbox delivery (to the emulator, each message posted exactly once)\n")
    print("| database | senders | messages | queue rate | send rate | posted |")
    print("|---|---|---|---|---|---|")
    with emulator() as slack:
        for n in range(50):
            slack.add_user(f"UB{n:05d}", f"user{n}")
        with sqlite_url() as url:
            print(_measure(url, 1, slack))
        admin_url = os.environ.get("TANDEM_TEST_POSTGRES_URL")
        if admin_url:
            for senders in (1, 2):
                url = postgres_database(admin_url)
                print(_measure(url, senders, slack))
        else:
            print("| postgresql | - | - | - | - | (no server: run `make bench`) |")
    print(
        "\nReproduce: make bench  (or .ci/with-postgres .venv/bin/python -m bench "
        "outbox_throughput)\n"
    )


if __name__ == "__main__":
    main()
