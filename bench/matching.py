"""`python -m bench matching`: how long an exact matching round takes, and its memory, by pool size.

Each pool is generated the same way for a given size and seed: a quarter of the people are
mentors with a capacity of 1 to 3, the rest mentees; mentors offer 1 to 4 and mentees seek 1
to 3 of 40 topics, drawn with a popularity skew (the n-th topic is n times rarer than the
first); each person works 09:00–17:00 at a whole-hour offset from UTC−8 to UTC+10, or UTC+5:30.
Every size runs in a fresh process, so that its peak RSS is that round's alone; the time is
`match_pool` only (the pool is built before the clock starts). The total score lets two
solvers be compared: an exact round reaches the same total on the same pool.
`--history` gives every mentee a past partner (a mentor they may no longer be matched with):
then nobody is like anybody else for the solver, which groups people alike (the worst case).
It prints the table and the command that reproduces it.
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import time

from bot.programme.matching_rules import Candidate, Role, match_pool, total_score

SIZES = (1_000, 2_000, 5_000, 10_000, 20_000)
TOPICS = tuple(f"topic-{n:02d}" for n in range(40))
POPULARITY = tuple(1 / (rank + 1) for rank in range(len(TOPICS)))  # Zipf-like skew
OFFSETS = tuple(hours * 60 for hours in range(-8, 11)) + (330,)
RESULT = "RESULT "
HEADER = (
    "| people | mentors | matches | total score | seconds | peak RSS MB |\n"
    "| ---: | ---: | ---: | ---: | ---: | ---: |"
)


def generated_pool(size: int, seed: int = 0) -> list[Candidate]:
    """`size` people as described in the module docstring, the same for the same seed."""
    draw = random.Random(seed)
    pool = []
    for n in range(size):
        mentor = n % 4 == 0
        topics = frozenset(draw.choices(TOPICS, POPULARITY, k=draw.randint(1, 4 if mentor else 3)))
        pool.append(
            Candidate(
                key=f"U{n:06d}",
                role=Role.MENTOR if mentor else Role.MENTEE,
                offers=topics if mentor else frozenset(),
                seeks=frozenset() if mentor else topics,
                capacity=draw.randint(1, 3) if mentor else 1,
                utc_offset_minutes=draw.choice(OFFSETS),
            )
        )
    return pool


def past_partners(pool: list[Candidate]) -> list[tuple[str, str]]:
    """A past partner for every mentee: the mentors in turn."""
    mentors = [person.key for person in pool if person.role == Role.MENTOR]
    mentees = [person.key for person in pool if person.role == Role.MENTEE]
    return [(mentors[n % len(mentors)], mentee) for n, mentee in enumerate(mentees)]


def measure(size: int, seed: int, history: bool) -> dict[str, float]:
    """One round over a generated pool, in this process."""
    pool = generated_pool(size, seed)
    past = past_partners(pool) if history else []
    start = time.perf_counter()
    matches = match_pool(pool, seed=seed, past_partners=past)
    seconds = time.perf_counter() - start
    return {
        "people": size,
        "mentors": sum(person.role == Role.MENTOR for person in pool),
        "matches": len(matches),
        "total": total_score(matches),
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def one_run(size: int, seed: int, timeout: float, history: bool) -> dict[str, float] | None:
    """`measure` in a fresh process; None when it did not finish within `timeout` seconds."""
    command = [sys.executable, "-m", "bench", "matching", "--measure", str(size)]
    try:
        done = subprocess.run(
            command + ["--seed", str(seed)] + (["--history"] if history else []),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    line = next(line for line in done.stdout.splitlines() if line.startswith(RESULT))
    return json.loads(line.removeprefix(RESULT))


def row(size: int, figures: dict[str, float] | None, timeout: float) -> str:
    """One markdown table row."""
    if figures is None:
        return f"| {size:,} | | | | not done in {timeout:.0f} s | |"
    return (
        f"| {size:,} | {figures['mentors']:,} | {figures['matches']:,} | "
        f"{figures['total']:,} | {figures['seconds']:.1f} | {figures['peak_mb']:.0f} |"
    )


def main(argv: list[str]) -> None:
    """The `matching` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench matching", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="people, comma list")
    parser.add_argument("--seed", type=int, default=0, help="the pools' and the round's seed")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds a size may take before it is skipped"
    )
    parser.add_argument(
        "--history", action="store_true", help="every mentee has a past partner (worst case)"
    )
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(RESULT + json.dumps(measure(args.measure, args.seed, args.history)))
        return
    print(HEADER, flush=True)
    for size in (int(s) for s in args.sizes.split(",") if s):
        figures = one_run(size, args.seed, args.timeout, args.history)
        print(row(size, figures, args.timeout), flush=True)
    options = ""
    if args.sizes != ",".join(map(str, SIZES)):
        options += f" --sizes {args.sizes}"
    if args.seed:
        options += f" --seed {args.seed}"
    if args.history:
        options += " --history"
    if args.timeout != 300:
        options += f" --timeout {args.timeout:g}"
    print(f"\nReproduce: .venv/bin/python -m bench matching{options}")
