"""Run one benchmark module on its own: `python -m bench.<name> [--quick] [--pg URL]`."""

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence

from bench.databases import Backend, PostgresBackend, SqliteBackend
from bench.plan import BenchFailure, Plan

PG_ENV = "PERKBOT_TEST_DATABASE_URL"


def run_alone(
    prog: str,
    benchmark: Callable[[Plan, argparse.Namespace], object],
    argv: Sequence[str] | None = None,
    *,
    extra: Callable[[argparse.ArgumentParser], None] | None = None,
) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {prog}")
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--pg", metavar="URL", help=f"PostgreSQL admin URL (default: ${PG_ENV})")
    parser.add_argument("--ops", type=int, help="sizes the run as in bench.run (default 400)")
    if extra is not None:
        extra(parser)
    args = parser.parse_args(argv)
    backends: tuple[Backend, ...] = (SqliteBackend(),)
    if pg_url := args.pg or os.environ.get(PG_ENV):
        backends += (PostgresBackend(pg_url),)
    plan = Plan(backends, args.ops or (60 if args.quick else 400), warmup=1 if args.quick else 3)
    started = time.perf_counter()
    try:
        benchmark(plan, args)
    except BenchFailure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        for backend in backends:
            backend.close()
    print(f"{time.perf_counter() - started:.0f} s in all")
    return 0
