"""`python -m bench abuse`: one loopback client asking for metrics and calendar feeds about
1,000 times a second for a bounded time, while ordinary signed Slack traffic runs.

Tandem serves HTTP as `tandem serve` does (waitress, the listener threads of bot.app), in a
process of its own, with a pair and a calendar feed. Ordinary Slack traffic (signed `/tandem
status` and `/tandem help`, `--slack-rate` a second, sent from this process) runs for
`--seconds` (default 60) alone and `--seconds` beside the abuser, in alternating slices of
SLICE seconds so that the machine's other work weighs on both alike. The abuser is a separate
process on 127.0.0.1 (at nice 19: on its own machine it would cost the server nothing but its
requests) sending GET /metrics, known, unknown and absurd calendar paths and a few wrong
methods aiming at `--rate` a second (default 1,000), at most rate × seconds requests in all,
over `--connections` kept-alive connections (default 8; or a new one each time,
`--fresh-connections`), each asking again as soon as it is answered. The door
(bot/web_door.py) holds a refusal a second when its client asked again without waiting as
told, so the abuser gets far fewer answers than it aims at: both are printed.
Printed: Slack's acknowledgement p50/p99 alone and under abuse (target: within 20%), the CPU
Tandem's process spent on each abusive request, what the abuser got back by status (and how
many refusals came a second or more late), and the 5xx count (target 0).
"""

import argparse
import http.client
import multiprocessing
import os
import random
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bench.common import SECRET, TEAM, TOKEN, sqlite_url
from bot.app import build_app, build_tandem
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.pairs.blocks import ACCEPT_ACTION
from bot.scheduler import run_due
from bot.serve import freeze_what_startup_built
from bot.web import BackgroundServer, TandemWSGI
from bot.web_door import ClientPace
from devkit.demo.blocks import actions_in
from devkit.emulator import SlackDriver, SlackEmulator

SECONDS = 60
RATE = 1000
SLACK_RATE = 20  # a second: 1,200 samples a phase at 60 s, so that p99 is not three requests
SLICE = 5  # seconds: the phases alternate in slices this long
WARM_UP = 5  # seconds of Slack traffic before measuring, not counted
CONNECTIONS = 8
HELD = 0.9  # seconds: a refusal answered this late was held by the door
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MENTOR, MENTEE = "UABUSEMR1", "UABUSEME1"
NOON = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)


@dataclass
class Phase:
    """Slack's acknowledgement times in one phase, and what the abuser got (if any)."""

    name: str
    slack_ms: list[float]
    slack_failed: int
    abuse: Counter[str]
    abuse_seconds: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU Tandem's process used in this phase

    def quantile(self, q: float) -> float:
        """The `q` quantile of Slack's acknowledgement times (ms)."""
        ordered = sorted(self.slack_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _serve(settings: Settings, served: Any, stop: Any) -> None:
    """Tandem's HTTP server in its own process (migrated already) until `stop` is set."""
    ctx = build_tandem(settings, clock=FrozenClock(NOON), migrate=False)
    pace = ClientPace(settings.client_requests_per_second)  # as `tandem serve` does
    server = BackgroundServer(TandemWSGI(build_app(ctx), ctx), pace=pace).start()
    freeze_what_startup_built()  # as `tandem serve` does
    served.put(server.url)
    stop.wait()
    server.stop()
    ctx.engine.dispose()


def _abuse(
    host: str,
    port: int,
    paths: list[tuple[str, str]],
    seconds: float,
    rate: float,
    on: Any,
    finished: Any,
    out: Any,
    connections: int = CONNECTIONS,
    fresh: bool = False,
) -> None:
    """The abusing client (its own process): `rate` requests a second over `connections`
    keep-alive connections (a new connection for each request when `fresh`) while `on` is
    set, until `finished` is set, for at most 2 × `seconds` and rate × seconds requests; puts
    a Counter of statuses (and "held" for refusals answered a second or more late)."""
    if host not in LOOPBACK:
        raise SystemExit("bench abuse only ever targets this machine (loopback)")
    # A real abuser runs on its own machine: here it shares our two cores, so it yields them
    # to the server first and what is measured is the server's cost of refusing it.
    os.nice(19)
    budget = int(rate * seconds)
    deadline = time.monotonic() + 2 * seconds + 30  # the phases interleave (see measure)
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    per_thread = rate / connections

    def client(n: int) -> None:
        chooser = random.Random(n)
        connection = http.client.HTTPConnection(host, port, timeout=10)
        next_at, sent = time.monotonic(), 0
        while time.monotonic() < deadline and sent < budget // connections:
            if finished.is_set():
                break
            if not on.is_set():
                if on.wait(0.05):
                    next_at = time.monotonic()
                continue
            method, path = chooser.choice(paths)
            asked = time.monotonic()
            try:
                connection.request(method, path)
                response = connection.getresponse()
                response.read()
                status = str(response.status)
                if response.status == 429 and time.monotonic() - asked >= HELD:
                    status = "429 held"
                if fresh or response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                status = f"error {type(error).__name__}"
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
            sent += 1
            with lock:
                counts[status] += 1
            next_at += 1 / per_thread
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(dict(counts))


def _slack_traffic(driver: SlackDriver, seconds: float, rate: float) -> tuple[list[float], int]:
    """Signed commands at `rate` a second for `seconds`: their acknowledgement times (ms)."""
    times: list[float] = []
    failed = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def sender(n: int) -> None:
        next_at = time.monotonic() + n / rate
        while time.monotonic() < deadline:
            user, text = ((MENTOR, "status"), (MENTEE, "help"))[n % 2]
            started = time.perf_counter()
            ok = driver.command(user, text).ok
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                times.append(elapsed)
                failed[0] += not ok
            next_at += 2 / rate
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, failed[0]


def _cpu_seconds(pid: int | None) -> float:
    """CPU time (user and system) a process has used so far, from Linux's /proc; 0 elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _paths(token: str) -> list[tuple[str, str]]:
    unknown = "".join(random.Random(5).choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(43))
    return [
        ("GET", "/metrics"),
        ("GET", "/metrics"),
        ("GET", f"/calendar/{token}.ics"),
        ("GET", f"/calendar/{unknown}.ics"),
        ("GET", "/calendar/" + "x" * 5000 + ".ics"),
        ("GET", "/calendar/%00%ff.ics"),
        ("POST", "/metrics"),
        ("DELETE", f"/calendar/{token}.ics"),
    ]


def measure(
    seconds: float,
    rate: float,
    slack_rate: float,
    connections: int = CONNECTIONS,
    fresh: bool = False,
) -> list[Phase]:
    """Slack's traffic alone, then beside the abuser."""
    slack = SlackEmulator(team_id=TEAM, token=TOKEN).start()
    with sqlite_url() as url:
        for user, name in ((MENTOR, "maya"), (MENTEE, "noah")):
            slack.add_user(user, name, tz="UTC", real_name=name.title())
        settings = Settings(
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            database_url=url,
            slack_api_url=slack.url,
            default_timezone="UTC",
            public_url="https://tandem.example.com",
        )
        ctx = build_tandem(settings, clock=FrozenClock(NOON), migrate=True)
        # Tandem serves from a process of its own, as `tandem serve` does: the Slack client
        # measuring it (this process) and the abuser (another) are not in its interpreter.
        spawn = multiprocessing.get_context("spawn")
        served, stop = spawn.Queue(), spawn.Event()
        server = spawn.Process(target=_serve, args=(settings, served, stop))
        server.start()
        try:
            server_url = served.get(timeout=120)
            driver = SlackDriver(server_url, SECRET, slack)
            driver.command(MENTOR, f"pair <@{MENTOR}> <@{MENTEE}>")
            time.sleep(0.5)
            run_due(ctx, NOON)
            [proposal] = [
                m for m in slack.messages(MENTEE) if ACCEPT_ACTION in actions_in(m["blocks"])
            ]
            driver.click_button_in(proposal, MENTEE, action_id=ACCEPT_ACTION)
            text = driver.command(MENTOR, "preferences calendar").json["text"]
            token = text.split("/calendar/", 1)[1].split(".ics", 1)[0]
            _slack_traffic(driver, WARM_UP, slack_rate)  # a new process's first answers are slow
            where = urlsplit(server_url)
            out, on, finished = spawn.Queue(), spawn.Event(), spawn.Event()
            abuser = spawn.Process(
                target=_abuse,
                args=(where.hostname, where.port, _paths(token), seconds, rate, on, finished)
                + (out, connections, fresh),
            )
            abuser.start()
            time.sleep(2)  # the abuser's process starting (importing) is not abuse yet
            # Alone and beside the abuser in alternating slices, so that whatever else the
            # machine does in those minutes weighs on both phases alike. The ratio of the
            # two p99s moves by about a third between runs even with the abuser at one
            # request a second (`--rate 1`): compare several runs, not one.
            alone = Phase("Slack alone", [], 0, Counter())
            beside = Phase("Slack beside the abuser", [], 0, Counter())
            for n in range(max(1, round(seconds / SLICE))):
                # Alone first in one pair of slices and second in the next (A B B A ...):
                # whatever follows a phase falls on both phases alike.
                pair = ((alone, False), (beside, True))
                for phase, abusing in pair if n % 2 == 0 else reversed(pair):
                    if abusing:
                        on.set()
                        time.sleep(0.2)  # the abuser at full rate before measuring
                    cpu_before = _cpu_seconds(server.pid)
                    times, failed = _slack_traffic(driver, SLICE, slack_rate)
                    phase.server_cpu += _cpu_seconds(server.pid) - cpu_before
                    on.clear()
                    phase.slack_ms += times
                    phase.slack_failed += failed
                    if abusing:
                        beside.abuse_seconds += SLICE + 0.2
            finished.set()
            counts = out.get(timeout=60)
            abuser.join(timeout=10)
            beside.abuse = Counter(counts)
            return [alone, beside]
        finally:
            stop.set()
            server.join(timeout=30)
            ctx.engine.dispose()
            slack.stop()


def report(
    phases: list[Phase],
    seconds: float,
    rate: float,
    connections: int = CONNECTIONS,
    fresh: bool = False,
) -> str:
    """The figures as markdown."""
    alone, beside = phases
    lines = [
        "| phase | Slack requests | failed | ack p50 ms | ack p99 ms | abuser requests (per s) |",
        "|---|---|---|---|---|---|",
    ]
    for phase in phases:
        sent = sum(phase.abuse.values())
        per_second = sent / phase.abuse_seconds if phase.abuse_seconds else 0
        lines.append(
            f"| {phase.name} | {len(phase.slack_ms)} | {phase.slack_failed} | "
            f"{statistics.median(phase.slack_ms):.0f} | {phase.quantile(0.99):.0f} | "
            f"{sent:,} ({per_second:.0f}) |"
        )
    five = sum(n for status, n in beside.abuse.items() if status.startswith("5"))
    answers = ", ".join(f"{n:,} × {status}" for status, n in sorted(beside.abuse.items()))
    ratio = beside.quantile(0.99) / alone.quantile(0.99) if alone.slack_ms else 0
    sent = sum(beside.abuse.values())
    cost = (beside.server_cpu - alone.server_cpu) / sent * 1e6 if sent else 0
    per_second = sent / beside.abuse_seconds if beside.abuse_seconds else 0
    kind = "new connections" if fresh else "kept-alive connections"
    lines += [
        "",
        f"Slack's p99 beside the abuser / alone: {ratio:.2f} (target at most 1.20)",
        f"The abuser aimed at {rate:,.0f} request(s) a second on {connections} {kind} and was "
        f"answered {per_second:,.0f} a second",
        f"Tandem's CPU: {alone.server_cpu:.1f} s alone, {beside.server_cpu:.1f} s beside the "
        f"abuser: {cost:.0f} µs for each abusive request",
        f"The abuser's answers: {answers}",
        f"5xx answers: {five}",
    ]
    shown = f" --seconds {seconds:g}" if seconds != SECONDS else ""
    shown += f" --rate {rate:g}" if rate != RATE else ""
    shown += f" --connections {connections}" if connections != CONNECTIONS else ""
    shown += " --fresh-connections" if fresh else ""
    lines.append(f"\nReproduce: .venv/bin/python -m bench abuse{shown}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """The `abuse` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench abuse", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=SECONDS, help="each phase's length")
    parser.add_argument("--rate", type=float, default=RATE, help="abusive requests a second")
    parser.add_argument(
        "--connections",
        type=int,
        default=CONNECTIONS,
        help="the abuser's connections (threads) asking at once",
    )
    parser.add_argument(
        "--fresh-connections",
        action="store_true",
        help="the abuser opens a new connection for every request instead of keeping them alive",
    )
    parser.add_argument(
        "--slack-rate", type=float, default=SLACK_RATE, help="Slack requests a second"
    )
    args = parser.parse_args(argv)
    if (
        not 2 <= args.seconds <= 600
        or not 1 <= args.rate <= 5000
        or not 1 <= args.connections <= 200
        or args.slack_rate <= 0
    ):
        parser.error(
            "--seconds 2 to 600, --rate 1 to 5000, --connections 1 to 200, --slack-rate above 0"
        )
    shape = (args.seconds, args.rate)
    phases = measure(*shape, args.slack_rate, args.connections, args.fresh_connections)
    print(report(phases, *shape, args.connections, args.fresh_connections))
