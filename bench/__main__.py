"""`python -m bench [name ...]`: run the benchmarks (all the quick ones by default).

`seed`, `scale`, `delivery`, `matching`, `season`, `launch` and `abuse` take options
(`python -m bench scale --help`).
"""

import importlib
import logging
import sys

BENCHMARKS = ("command_latency", "outbox_throughput", "scheduler_tick", "status_latency")
WITH_OPTIONS = ("seed", "scale", "delivery", "matching", "season", "launch", "abuse")


def main(argv: list[str]) -> None:
    """Run the named benchmarks, or all."""
    logging.disable(logging.WARNING)
    if argv and argv[0] in WITH_OPTIONS:
        importlib.import_module(f"bench.{argv[0]}").main(argv[1:])
        return
    for name in argv or BENCHMARKS:
        if name not in BENCHMARKS:
            choices = ", ".join(BENCHMARKS + WITH_OPTIONS)
            print(f"unknown benchmark {name!r}; choose from {choices}", file=sys.stderr)
            raise SystemExit(2)
        importlib.import_module(f"bench.{name}").main()


main(sys.argv[1:])
