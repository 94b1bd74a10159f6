"""`python -m bench [name ...]`: run the benchmarks (all by default) and print their tables."""

import importlib
import logging
import sys

BENCHMARKS = ("command_latency", "outbox_throughput", "scheduler_tick", "status_latency")


def main(argv: list[str]) -> None:
    """Run the named benchmarks, or all."""
    logging.disable(logging.WARNING)
    for name in argv or BENCHMARKS:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        importlib.import_module(f"bench.{name}").main()


main(sys.argv[1:])
