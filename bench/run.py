"""`python -m bench.run [--quick] [--pg URL]`: every benchmark, on SQLite and PostgreSQL.

PostgreSQL is used when `--pg URL` or PERKBOT_TEST_DATABASE_URL names a server
where `bench_*` databases may be created and dropped; otherwise it is skipped,
and the report says so. Exit code 1 if a benchmark breaks a rule (overspend,
a missing commit), 0 otherwise, whatever the ratios.
"""

import argparse
import os
import platform
import resource
import sqlite3
import sys
import time
from collections.abc import Sequence

from bench import ack, digest, ledger, reminders, startup
from bench.databases import Backend, PostgresBackend, SqliteBackend
from bench.plan import BenchFailure, Benchmark, Plan
from bench.stats import TARGET_RATIO, table

PG_ENV = "PERKBOT_TEST_DATABASE_URL"
# Later benchmarks join this list; each returns rows for the same table.
BENCHMARKS: list[tuple[str, Benchmark]] = [
    (ledger.NAME, ledger.propose_and_approve),
    (ack.NAME, ack.ack_latency),
    (digest.NAME, digest.digest_benchmark),
    (reminders.NAME, reminders.reminders_benchmark),
    (startup.NAME, startup.startup_benchmark),
]


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run (well under 30 s)")
    parser.add_argument("--pg", metavar="URL", help=f"PostgreSQL admin URL (default: ${PG_ENV})")
    parser.add_argument("--ops", type=int, help="operations per measured run (default 400)")
    return parser.parse_args(argv)


def _plan(args: argparse.Namespace, backends: tuple[Backend, ...]) -> Plan:
    operations = args.ops or (60 if args.quick else 400)
    return Plan(backends=backends, operations=operations, warmup=1 if args.quick else 3)


PG_SKIPPED = f"*** PostgreSQL: skipped (set {PG_ENV} or pass --pg URL) ***"


def _backends(pg_url: str | None) -> tuple[Backend, ...]:
    if pg_url:
        return (SqliteBackend(), PostgresBackend(pg_url))
    print(f"\n{PG_SKIPPED}\n", flush=True)
    return (SqliteBackend(),)


def _header(plan: Plan) -> None:
    dbs = ", ".join(b.label for b in plan.backends)
    load = os.getloadavg()[0]
    print(
        f"Perkbot benchmarks · Python {platform.python_version()} · SQLite "
        f"{sqlite3.sqlite_version} · {os.cpu_count()} CPUs (load {load:.1f}) · databases: {dbs}\n"
        f"{plan.operations} operations per run (spread over the threads), "
        f"{plan.warmup} warm-up per thread; uc = use case, sql = hand-written SQL, "
        f"target ≤ {TARGET_RATIO:g}× on p50 and throughput\n",
        flush=True,
    )


def _run_all(plan: Plan) -> None:
    for name, benchmark in BENCHMARKS:
        started = time.perf_counter()
        rows = benchmark(plan)
        print(f"== {name} ({time.perf_counter() - started:.0f} s)")
        print(table(rows), end="\n\n", flush=True)


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    plan = _plan(args, _backends(args.pg or os.environ.get(PG_ENV)))
    _header(plan)
    try:
        _run_all(plan)
    except BenchFailure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        for backend in plan.backends:
            backend.close()
    if len(plan.backends) == 1:
        print(PG_SKIPPED)
    print(f"peak RSS: {_peak_rss_mib():.0f} MiB · load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
