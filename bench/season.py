"""`python -m bench season`: a season of mentoring replayed through the real app.

Eight pairs (bench/season_cast.py) are proposed in December, start meeting on Monday
1 March 2027 and live N weeks (default 8) against the Slack emulator, the scheduler driven
by a moving clock (bench/season_run.py). Printed: messages per person per meeting week,
time-critical messages lost, quiet-hour deliveries, drift offers, lapse nudges and what
each digest contained (bench/season_figures.py), on SQLite and, when
TANDEM_TEST_POSTGRES_URL (or --database-url) names a server, on PostgreSQL.
"""

import argparse
import os
import time

from sqlalchemy.engine import make_url

from bench.common import postgres_database
from bench.season_cast import FULL_CAST
from bench.season_figures import Figures, measure, summary
from bench.season_run import played_season, sqlite_database

WEEKS = 8


def report(database: str, figures: Figures, seconds: float, ticks: int) -> str:
    """The season's figures as markdown."""
    mean, p50, top = summary(list(figures.per_person.values()))
    busiest = max(figures.per_person, key=figures.per_person.__getitem__)
    lines = [
        f"### {database}: {figures.weeks} weeks, {ticks} ticks, {seconds:.0f} s",
        "",
        "| figure | value |",
        "|---|---|",
        f"| messages per person per meeting week: mean | {mean:.2f} |",
        f"| … p50 | {p50:.2f} |",
        f"| … max | {top:.2f} ({busiest}) |",
        f"| time-critical lost | {figures.lost_total} "
        f"({', '.join(f'{n} {why}' for why, n in figures.lost.items()) or 'none'}) |",
        f"| delivered in quiet hours | {len(figures.quiet)} |",
        f"| not counted: sent in the window about a meeting outside it | "
        f"{sum(figures.left_out.values())} "
        f"({', '.join(f'{n} {kind}' for kind, n in sorted(figures.left_out.items())) or 'none'}) |",
        f"| did-you-meet asked again | {sum(figures.reasks.values())} "
        f"({', '.join(f'{label} {n}' for label, n in sorted(figures.reasks.items())) or 'none'}) |",
        f"| drift offers | {len(figures.drift)} ({', '.join(figures.drift) or 'none'}) |",
        f"| clock changes told | {len(figures.clock_changes)} "
        f"({', '.join(figures.clock_changes) or 'none'}) |",
        f"| lapse nudges (false alarms) | {len(figures.lapses)} ({figures.lapse_false_alarms}) |",
        f"| anniversary cheers | {len(figures.anniversaries)} |",
        f"| digests | {len(figures.digests)} |",
        "",
        "| by kind | per person per meeting week |",
        "|---|---|",
        *(f"| {kind} | {value:.2f} |" for kind, value in sorted(figures.by_kind.items())),
        "",
        "| person | per meeting week |",
        "|---|---|",
        *(f"| {name} | {value:.2f} |" for name, value in sorted(figures.per_person.items())),
    ]
    for title, items in (
        ("Lost", figures.lost_detail),
        ("Quiet hours", figures.quiet),
        ("Lapse nudges", figures.lapses),
        ("Anniversaries", figures.anniversaries),
        ("Digests", figures.digests),
    ):
        if items:
            lines += ["", f"{title}:", *(f"- {item}" for item in items)]
    return "\n".join(lines)


def run(database_url: str, weeks: int) -> str:
    """Play and measure one season on `database_url`."""
    started = time.perf_counter()
    with played_season(database_url, FULL_CAST, weeks) as played:
        figures = measure(played)
        ticks = played.ticks
    name = make_url(database_url).get_backend_name()
    return report(name, figures, time.perf_counter() - started, ticks)


def main(argv: list[str]) -> None:
    """The `season` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench season", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--weeks", type=int, default=WEEKS)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create a fresh database on (default: "
        "TANDEM_TEST_POSTGRES_URL when set); SQLite always runs",
    )
    args = parser.parse_args(argv)
    if args.weeks < 1:
        parser.error("--weeks must be at least 1")
    with sqlite_database() as url:
        print(run(url, args.weeks), flush=True)
    server = args.database_url or os.environ.get("TANDEM_TEST_POSTGRES_URL")
    if server:
        print()
        print(run(postgres_database(server), args.weeks), flush=True)
    shown = f" --weeks {args.weeks}" if args.weeks != WEEKS else ""
    print(f"\nReproduce: .ci/with-postgres .venv/bin/python -m bench season{shown}")
