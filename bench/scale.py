"""`python -m bench scale`: what a tick, `/tandem status` and App Home cost as a programme grows.

For each database (SQLite; PostgreSQL when `.ci/with-postgres` provides one) and each size
(1k, 10k and 100k pairs by default) the programme is seeded afresh (`python -m bench seed`),
then a separate process, so that its peak RSS is the tick's and not the seeder's, measures at
the seeded instant:
- the idle tick: `run_due` when nothing is due (the median of a few), and its SQL statements;
- the tick one scheduler minute later, when 1% of the pairs have something due: producers
  (queueing) and delivery (posting to the emulator, no rate limits) timed apart;
- the process's peak RSS;
- `/tandem status` and App Home for a mentor in 20 pairs (the use cases called directly, so
  the figure is Tandem's own cost, not HTTP's): median wall time, with the median CPU time
  of the measuring thread in brackets (what is left when a shared machine's load is taken
  out), and SQL statements per call.
It prints the table and the command that reproduces it; `--json FILE` also writes the figures.
`--sizes 10000 --databases sqlite --status-only` measures one size's status and Home alone.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from bench.common import TEAM, TOKEN, postgres_database, settings
from bench.seed import AT, DUE_AT, STAR, due_kind, home_of, mentee_of, mentor_of, zone_of
from devkit.emulator import SlackEmulator
from storage.db import normalise_database_url

SIZES = (1_000, 10_000, 100_000)
ROOT = Path(__file__).resolve().parents[1]
RESULT = "RESULT "
# Enough samples for a median, without letting a slow (unscaled) path run for minutes.
MAX_SAMPLES, SAMPLE_SECONDS = 7, 20.0


class Statements:
    """Counts the SQL statements an engine runs."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: object) -> None:
        self.count += 1


def _samples(call: Callable[[], object], sql: Statements) -> tuple[list[float], int, float]:
    """Run `call` a few times: (milliseconds of each run, statements of the last run, median
    CPU milliseconds of this thread per run: on a shared machine, the part that is ours)."""
    times: list[float] = []
    cpu: list[float] = []
    spent = 0.0
    statements = 0
    while len(times) < MAX_SAMPLES and (spent < SAMPLE_SECONDS or len(times) < 1):
        before = sql.count
        start, start_cpu = time.perf_counter(), time.thread_time()
        call()
        elapsed = time.perf_counter() - start
        cpu.append((time.thread_time() - start_cpu) * 1000)
        statements = sql.count - before
        times.append(elapsed * 1000)
        spent += elapsed
    return times, statements, statistics.median(cpu)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str, pairs: int, slack_url: str, with_tick: bool = True) -> dict[str, Any]:
    """In this process: tick (unless told not to), status and Home figures for the seeded
    programme at `url`."""
    from bot.app import build_tandem
    from bot.core.clock import FrozenClock
    from bot.surfaces.home_tab import home_view
    from bot.surfaces.status import status_message

    slack = _RemoteEmulator(slack_url)
    clock = FrozenClock(AT)
    ctx = build_tandem(settings(url, slack), clock=clock, migrate=False)  # type: ignore[arg-type]
    sql = Statements(ctx.engine)
    baseline = _rss_mb()
    figures: dict[str, Any] = {"database": make_url(url).get_backend_name(), "pairs": pairs}
    if with_tick:
        figures.update(_tick(ctx, sql))
    clock.set(DUE_AT)

    def status() -> None:
        with ctx.session() as session:
            status_message(ctx, session, TEAM, STAR, DUE_AT)

    client = ctx.client(TEAM)
    status_ms, status_sql, status_cpu = _samples(status, sql)
    home_ms, home_sql, home_cpu = _samples(lambda: home_view(ctx, client, TEAM, STAR), sql)
    ctx.engine.dispose()
    return {
        **figures,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _rss_mb(),
        "status_p50_ms": statistics.median(status_ms),
        "status_cpu_ms": status_cpu,
        "status_sql": status_sql,
        "home_p50_ms": statistics.median(home_ms),
        "home_cpu_ms": home_cpu,
        "home_sql": home_sql,
    }


def _tick(ctx: Any, sql: Statements) -> dict[str, Any]:
    """The idle tick at AT, then the tick at DUE_AT: producers and delivery apart."""
    from bot.delivery.sender import deliver_due
    from bot.scheduler import run_due, run_producers

    reports = []

    def idle() -> None:
        reports.append(run_due(ctx, AT))

    idle_ms, idle_sql, _ = _samples(idle, sql)
    idle_queued = max(r.queued for r in reports)

    ctx.clock.set(DUE_AT)
    before, start = sql.count, time.perf_counter()
    produced = run_producers(ctx, DUE_AT)
    producers_ms = (time.perf_counter() - start) * 1000
    producers_sql = sql.count - before
    before, start = sql.count, time.perf_counter()
    delivered = deliver_due(ctx, DUE_AT)
    delivery_ms = (time.perf_counter() - start) * 1000
    delivery_sql = sql.count - before
    return {
        "idle_tick_ms": statistics.median(idle_ms),
        "idle_tick_sql": idle_sql,
        "idle_tick_queued": idle_queued,
        "due_producers_ms": producers_ms,
        "due_producers_sql": producers_sql,
        "due_queued": produced.queued,
        "due_failed_producers": produced.failed_producers,
        "due_delivery_ms": delivery_ms,
        "due_delivery_sql": delivery_sql,
        "due_sent": delivered.sent,
        "due_held": delivered.held,
    }


class _RemoteEmulator:
    """What `bench.common.settings` needs of an emulator running in the parent process."""

    def __init__(self, url: str) -> None:
        self.url = url


def _emulator_for(pairs: int) -> SlackEmulator:
    """An emulator that knows the people and group DMs the due work goes to."""
    slack = SlackEmulator(team_id=TEAM, token=TOKEN)
    slack.add_user(STAR, "star", tz=zone_of(STAR), real_name="Star Mentor")
    for n in range(pairs):
        if due_kind(n) is None:
            continue
        members = [mentor_of(n), mentee_of(n)]
        for user in members:
            slack.add_user(user, user.lower(), tz=zone_of(user))
        slack.add_channel(home_of(n), f"mpdm-pair-{n}", is_private=True, members=members)
    return slack.start()


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:5])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _drop_postgres(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def one_run(database: str, pairs: int, workdir: Path, with_tick: bool = True) -> dict[str, Any]:
    """Seed a fresh database of `pairs` pairs and measure it in a child process."""
    admin_url = os.environ.get("TANDEM_TEST_POSTGRES_URL", "")
    if database == "sqlite":
        url = f"sqlite:///{workdir / f'scale-{pairs}.db'}"
    else:
        url = postgres_database(admin_url)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    python = sys.executable
    try:
        seeded = _run(
            [python, "-m", "bench", "seed", "--pairs", str(pairs), "--database-url", url], env
        )
        seconds = float(re.search(r"in ([\d.]+) s", seeded).group(1))  # type: ignore[union-attr]
        slack = _emulator_for(pairs)
        try:
            out = _run(
                [
                    python,
                    "-m",
                    "bench",
                    "scale",
                    "--measure",
                    url,
                    "--pairs",
                    str(pairs),
                    "--slack",
                    slack.url,
                    *([] if with_tick else ["--status-only"]),
                ],
                env,
            )
        finally:
            slack.stop()
        line = next(x for x in out.splitlines() if x.startswith(RESULT))
        result = json.loads(line[len(RESULT) :])
        result["seed_seconds"] = seconds
        return result
    finally:
        if database == "sqlite":
            for path in workdir.glob(f"scale-{pairs}.db*"):
                path.unlink()
        else:
            _drop_postgres(admin_url, url)


HEADER = (
    "| database | pairs | seed s | idle tick ms | idle SQL | 1% due: producers ms | producers "
    "SQL | queued | delivery ms | sent / held | peak RSS MB | status p50 ms (CPU) | status SQL | "
    "Home p50 ms (CPU) | Home SQL |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: dict[str, Any]) -> str:
    """One markdown table row (a run without the tick shows dashes for it)."""
    tick = (
        f"{r['idle_tick_ms']:.1f} | {r['idle_tick_sql']} | {r['due_producers_ms']:.0f} | "
        f"{r['due_producers_sql']} | {r['due_queued']} | {r['due_delivery_ms']:.0f} | "
        f"{r['due_sent']} / {r['due_held']}"
        if "idle_tick_ms" in r
        else " | ".join(["-"] * 7)
    )
    return (
        f"| {r['database']} | {r['pairs']:,} | {r['seed_seconds']:.0f} | {tick} | "
        f"{r['peak_rss_mb']:.0f} | {r['status_p50_ms']:.1f} ({r['status_cpu_ms']:.0f}) | "
        f"{r['status_sql']} | {r['home_p50_ms']:.1f} ({r['home_cpu_ms']:.0f}) | {r['home_sql']} |"
    )


def ratios(results: list[dict[str, Any]]) -> list[str]:
    """The idle tick's growth from each size to the next, per database."""
    lines = []
    for database in sorted({r["database"] for r in results}):
        mine = sorted(
            (r for r in results if r["database"] == database and "idle_tick_ms" in r),
            key=lambda r: r["pairs"],
        )
        for small, big in zip(mine, mine[1:], strict=False):
            lines.append(
                f"- {database}: idle tick {big['pairs']:,} / {small['pairs']:,} pairs = "
                f"{big['idle_tick_ms'] / small['idle_tick_ms']:.2f}x "
                f"(SQL {small['idle_tick_sql']} → {big['idle_tick_sql']})"
            )
    return lines


def main(argv: list[str]) -> None:
    """The `scale` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench scale", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="pairs, comma-separated")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--status-only",
        action="store_true",
        help="seed and measure status and Home only, not the tick (a size in a minute or two)",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--pairs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--slack", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        figures = measure(args.measure, args.pairs, args.slack, with_tick=not args.status_only)
        print(RESULT + json.dumps(figures))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    databases = [d for d in args.databases.split(",") if d]
    if "postgresql" in databases and not os.environ.get("TANDEM_TEST_POSTGRES_URL"):
        print("no PostgreSQL (run through .ci/with-postgres): measuring SQLite only")
        databases.remove("postgresql")
    results = []
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as directory:
        for database in databases:
            for pairs in sizes:
                result = one_run(database, pairs, Path(directory), not args.status_only)
                results.append(result)
                print(row(result), flush=True)
    growth = ratios(results)
    if growth:
        print("\n" + "\n".join(growth))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    shown = f" --sizes {args.sizes}" if args.sizes != ",".join(map(str, SIZES)) else ""
    if args.databases != "sqlite,postgresql":
        shown += f" --databases {args.databases}"
    if args.status_only:
        shown += " --status-only"
    print(f"\nReproduce: .ci/with-postgres .venv/bin/python -m bench scale{shown}")
