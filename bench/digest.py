"""Benchmark: the weekly digest of a big workspace (issue 4 item 7, RELIABILITY 40).

A workspace of 5,000 reps (50 managers) and 50,000 customers with a life event
each, 500,000 proposals over three monthly periods (80 % in the current one), and
their ledger: a reserve row each, then a commit (approved, auto-approved) or a
release (rejected, expired), pending ones only reserved: ≈ 995,000 rows. A quarter
of the approved perks have a handwritten-note task. Seeded in bulk (`bench.seed`),
then ANALYZEd.

Measured, on one copy of that database, alternating: `digest_message(build_digest(…))`
for the whole team, and beside it one hand-written query with the bare driver, the
per-rep committed / reserved sums of the period (the digest's heaviest part).
Target: p50 < 1 s and ≤ 2× the hand-written query (wall time). Beside it, "cpu ×"
is the same ratio of this process's CPU time, on SQLite only (where the database runs
in the process): steadier than wall time when other work shares the machine. The
digest's statements are then replayed one by one with the driver (best of two, each
timed) and the two slowest EXPLAINed (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE
on PostgreSQL).

The same for a workspace of 1,000 reps and 100,000 proposals
(RELIABILITY 40's digest build time). `python -m bench.digest [--quick] [--pg URL]`
runs it alone; `--quick` (or a plan of fewer than 400 operations) measures only a
workspace 10× smaller than the big one.
"""

import random
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench import baseline, seed
from bench.alone import run_alone
from bench.databases import Backend, Seed
from bench.plan import BenchFailure, Plan
from bench.stats import Comparison, Summary
from bot.blocks.digest import digest_message
from perks.catalog import load_catalog
from perks.context import Ctx
from perks.digest import TOP_REPS, Digest, build_digest
from perks.kinds import EventKind
from storage.db import Database

NAME = "weekly digest (big workspace)"
TEAM = "TBENCHDIGEST"
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # a Monday: the digest of the week of 9 Nov
PERIOD = date(2026, 11, 1)
TARGET_S = 1.0
TARGET_RATIO = 2.0
FULL_OPERATIONS = 400  # bench.run's default; fewer (--quick) scales down
PG_ENV = "PERKBOT_TEST_DATABASE_URL"


@dataclass(frozen=True)
class Scale:
    reps: int
    proposals: int
    runs: int  # timed runs of each side, after one untimed
    managers: int = 50
    customers_per_rep: int = 10

    @property
    def customers(self) -> int:
        return self.reps * self.customers_per_rep


FULL = Scale(reps=5_000, proposals=500_000, runs=5)
RELIABILITY_40 = Scale(reps=1_000, proposals=100_000, runs=5, managers=10)
QUICK = Scale(reps=500, proposals=50_000, runs=3, managers=5)


def scales_of(plan: Plan) -> tuple[Scale, ...]:
    """Issue 4's 5,000 reps and RELIABILITY 40's 1,000; a tenth of the big one for --quick."""
    return (RELIABILITY_40, FULL) if plan.operations >= FULL_OPERATIONS else (QUICK,)


# -- seeding -----------------------------------------------------------------------------

# (period start, share of the proposals, end of the period's proposals)
PERIODS = (
    (date(2026, 9, 1), 0.1, datetime(2026, 10, 1, tzinfo=UTC)),
    (date(2026, 10, 1), 0.1, datetime(2026, 11, 1, tzinfo=UTC)),
    (PERIOD, 0.8, NOW - timedelta(minutes=5)),
)
# (status, cumulative probability, max amount in minor units)
STATUSES = (
    ("pending", 0.01, 25_000),
    ("rejected", 0.11, 25_000),
    ("expired", 0.13, 25_000),
    ("auto_approved", 0.50, 2_500),
    ("approved", 1.0, 25_000),
)
DECIDED_AFTER = timedelta(hours=2)
APPROVED = ("approved", "auto_approved")
KINDS = list(EventKind)
PROPOSAL_COLUMNS = (
    "id", "team_id", "customer_id", "event_id", "rep_user_id", "description", "amount",
    "currency", "period_start", "status", "approval_reasons", "handwritten_note",
    "created_at", "decided_at", "decided_by",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "team_id", "customer_id", "kind", "event_date", "recurring", "just_a_note",
    "logged_by", "logged_at",
)  # fmt: skip
NOTE_COLUMNS = (
    "team_id", "rep_user_id", "customer_id", "event_id", "proposal_id", "wording", "status",
    "due_date", "remind_at", "reminders_sent", "overdue_reminders", "done_at", "created_at",
)  # fmt: skip
# Every proposal's reserve row, then its commit or release, in time order (as appended).
LEDGER_FROM_PROPOSALS = """INSERT INTO ledger_entries (team_id, proposal_id, rep_user_id,
 customer_id, entry, amount, period_start, created_at)
 SELECT team_id, id, rep_user_id, customer_id, entry, amount, period_start, at FROM (
  SELECT team_id, id, rep_user_id, customer_id, 'reserve' AS entry, amount, period_start,
   created_at AS at FROM proposals
  UNION ALL
  SELECT team_id, id, rep_user_id, customer_id,
   CASE WHEN status IN ('approved', 'auto_approved') THEN 'commit' ELSE 'release' END,
   amount, period_start, decided_at FROM proposals WHERE decided_at IS NOT NULL
 ) entries ORDER BY at, id, entry DESC"""
NOTED = """SELECT id, rep_user_id, customer_id, event_id, decided_at FROM proposals
 WHERE status IN ('approved', 'auto_approved') AND handwritten_note ORDER BY id"""


def _rep_of_customer(scale: Scale, customer: int) -> int:
    return (customer - 1) % scale.reps


def _events(scale: Scale, ld: seed.Loader) -> Iterator[seed.Row]:
    """One life event per customer (same id), logged over the past year in id order."""
    year = timedelta(days=365)
    for c in range(1, scale.customers + 1):
        kind = KINDS[c % len(KINDS)]
        recurring = kind in (EventKind.BIRTHDAY, EventKind.ANNIVERSARY)
        logged = NOW - year + year * (c / (scale.customers + 1))
        when = date(1960 + c % 50, 1, 1) + timedelta(days=c % 365) if recurring else logged.date()
        rep = seed.rep_id(_rep_of_customer(scale, c))
        yield (c, TEAM, c, kind.value, ld.day(when), recurring, False, rep, ld.stamp(logged))


def _status(rng: random.Random) -> tuple[str, int]:
    draw = rng.random()
    for status, cumulative, most in STATUSES:
        if draw < cumulative:
            return status, rng.randrange(500, most + 1, 50)
    raise AssertionError("unreachable")


def _proposals(scale: Scale, ld: seed.Loader) -> Iterator[seed.Row]:
    """Proposals in time order over the periods; each rep proposes for its own customers."""
    rng, pid = random.Random(7), 0
    for start, share, end in PERIODS:
        count = round(scale.proposals * share)
        began = datetime.combine(start, datetime.min.time(), UTC)
        for k in range(count):
            pid += 1
            created = began + (end - began) * ((k + rng.random()) / count)
            rep = rng.randrange(scale.reps)
            customer = 1 + rep + scale.reps * rng.randrange(scale.customers_per_rep)
            status, amount = _status(rng)
            decided = None if status == "pending" else min(created + DECIDED_AFTER, NOW)
            boss = (
                seed.manager_id(rep % scale.managers)
                if status in ("approved", "rejected")
                else None
            )
            yield (
                pid, TEAM, customer, customer, seed.rep_id(rep), "Flowers and a card", amount,
                "USD", ld.day(start), status, "" if status == "auto_approved" else "OVER_THRESHOLD",
                pid % 4 == 0, ld.stamp(created), ld.stamp(decided), boss,
            )  # fmt: skip


def _notes(ld: seed.Loader, noted: list[seed.Row]) -> Iterator[seed.Row]:
    """A note task per approved perk with a handwritten note (`NOTED`, read before the
    COPY starts): most sent, some open (overdue when due before today), a few skipped."""
    for pid, rep, customer, event_id, decided_at in noted:
        decided = seed.parse_stamp(decided_at)
        due = (decided + timedelta(days=2)).date()
        status = ("open", "sent", "sent", "sent", "skipped")[pid % 5]
        done = decided + timedelta(days=1) if status != "open" else None
        remind = datetime.combine(due, datetime.min.time(), UTC) + timedelta(hours=10)
        yield (
            TEAM, rep, customer, event_id, pid, "Thank you!", status, ld.day(due),
            ld.stamp(remind if status == "open" else None), 0, 0, ld.stamp(done), ld.stamp(decided),
        )  # fmt: skip


def _seeder(scale: Scale) -> Callable[[str], None]:
    def prepare(url: str) -> None:
        with seed.loading(url) as ld:
            seed.workspace(
                ld, TEAM, NOW - timedelta(days=400),
                team_budget=2_000_000_000, rep_allowance=500_000, customer_cap=1_000_000,
            )  # fmt: skip
            seed.members(ld, TEAM, reps=scale.reps, managers=scale.managers, checked_at=NOW)
            seed.customers(ld, TEAM, scale.customers, NOW - timedelta(days=400))
            ld.load("life_events", EVENT_COLUMNS, _events(scale, ld))
            ld.load("proposals", PROPOSAL_COLUMNS, _proposals(scale, ld))
            ld.insert_select("ledger_entries", LEDGER_FROM_PROPOSALS)
            ld.load("note_tasks", NOTE_COLUMNS, _notes(ld, ld.rows(NOTED)))

    return prepare


def seed_for(scale: Scale) -> Seed:
    return Seed(f"digest-{scale.reps}-{scale.proposals}", _seeder(scale))


COUNTS = """SELECT (SELECT COUNT(*) FROM ledger_entries), (SELECT COUNT(*) FROM proposals),
 (SELECT COUNT(*) FROM note_tasks), (SELECT COUNT(*) FROM members WHERE role = 'rep')"""


@dataclass(frozen=True)
class Sizes:
    ledger: int
    proposals: int
    notes: int
    reps: int


def sizes(url: str) -> Sizes:
    conn = baseline.connect(url)
    try:
        return Sizes(*(int(n) for n in conn.one(COUNTS)))
    finally:
        conn.close()


# -- the measured work -------------------------------------------------------------------

# The per-rep sums of the period, biggest first, as one would write them by hand.
BY_HAND = """SELECT rep_user_id, committed, reserved FROM (
 SELECT rep_user_id, SUM(CASE WHEN entry = 'commit' THEN amount ELSE 0 END) AS committed,
  SUM(CASE WHEN entry = 'reserve' THEN amount ELSE -amount END) AS reserved
 FROM ledger_entries WHERE team_id = %s AND period_start = %s GROUP BY rep_user_id
 ) per_rep ORDER BY committed + reserved DESC, rep_user_id"""


def _ctx(url: str) -> Ctx:
    return Ctx(db=Database(url), catalog=load_catalog(None))


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _verify(digest: Digest, by_hand: list[tuple[Any, ...]], scale: Scale) -> None:
    """The digest's numbers are the hand-written query's: same reps, same sums."""
    mine = [(r.rep_user_id, r.balance.committed, r.balance.reserved) for r in digest.reps]
    theirs = [(str(r), int(c), int(v)) for r, c, v in by_hand[:TOP_REPS]]
    team = (sum(int(c) for _, c, _ in by_hand), sum(int(v) for _, _, v in by_hand))
    problems = []
    if mine != theirs:
        problems.append(f"top reps {mine[:2]}… ≠ {theirs[:2]}…")
    if digest.more_reps != len(by_hand) - TOP_REPS or len(by_hand) != scale.reps:
        problems.append(f"{digest.more_reps} more reps of {len(by_hand)}")
    if (digest.team.committed, digest.team.reserved) != team:
        problems.append(f"team {digest.team.committed, digest.team.reserved} ≠ {team}")
    if problems:
        raise BenchFailure("digest differs from the hand-written sums: " + "; ".join(problems))


@dataclass
class Alternation:
    """Wall and process CPU seconds of each timed run of both sides, and the last digest."""

    uc: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    uc_cpu: list[float] = field(default_factory=list)
    sql_cpu: list[float] = field(default_factory=list)

    def cpu_ratio(self) -> float:
        return statistics.median(self.uc_cpu) / statistics.median(self.sql_cpu)


def _alternate(ctx: Ctx, url: str, scale: Scale) -> tuple[Alternation, Digest]:
    """Digest, hand-written query, digest, …; the first of each untimed. Checks the last."""
    conn = baseline.connect(url)
    params = (TEAM, conn.dialect.day(PERIOD))
    times = Alternation()
    try:
        for i in range(scale.runs + 1):
            cpu = time.process_time()
            took, digest = _timed(lambda: build_digest(ctx, TEAM, now=NOW))
            took_message, _ = _timed(lambda d=digest: digest_message(d))
            cpu_sql = time.process_time()
            took_sql, rows = _timed(lambda: conn.rows(BY_HAND, params))
            if i:
                times.uc.append(took + took_message)
                times.sql.append(took_sql)
                times.uc_cpu.append(cpu_sql - cpu)
                times.sql_cpu.append(time.process_time() - cpu_sql)
    finally:
        conn.close()
    _verify(digest, rows, scale)
    return times, digest


# -- where the time goes -----------------------------------------------------------------


@dataclass(frozen=True)
class QueryTime:
    label: str  # the repository function that issued it
    statement: str
    params: Any
    rows: int = 0
    seconds: float = 0.0


def _caller() -> str:
    for frame in reversed(traceback.extract_stack()):
        if "/storage/repositories/" in frame.filename:
            return f"{Path(frame.filename).stem}.{frame.name}"
    return "?"


def _captured(ctx: Ctx, work: Callable[[], object]) -> list[QueryTime]:
    """The statements `work` sends, with their driver parameters."""
    seen: list[QueryTime] = []

    def before(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        seen.append(QueryTime(_caller(), statement, params))

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        work()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)
    return seen


def profile(ctx: Ctx, work: Callable[[], object], rounds: int = 2) -> list[QueryTime]:
    """Each statement of `work` run again alone with the driver, `rounds` times: the rows
    and the best time to fetch them all."""
    captured = _captured(ctx, work)
    raw = ctx.db.engine.raw_connection()
    best = [float("inf")] * len(captured)
    rows = [0] * len(captured)
    try:
        cursor = raw.cursor()
        for _ in range(rounds):
            for i, q in enumerate(captured):
                started = time.perf_counter()
                cursor.execute(q.statement, q.params)
                rows[i] = len(cursor.fetchall())
                best[i] = min(best[i], time.perf_counter() - started)
    finally:
        raw.close()
    return [replace(q, rows=n, seconds=t) for q, n, t in zip(captured, rows, best, strict=True)]


def explain(ctx: Ctx, q: QueryTime) -> list[str]:
    """EXPLAIN QUERY PLAN (SQLite) or EXPLAIN ANALYZE (PostgreSQL) of one statement."""
    prefix = "EXPLAIN QUERY PLAN " if ctx.db.is_sqlite else "EXPLAIN (ANALYZE, COSTS OFF) "
    raw = ctx.db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(prefix + q.statement, q.params)
        return [str(row[-1]) for row in cursor.fetchall()]
    finally:
        raw.close()


@dataclass(frozen=True)
class DigestRun:
    """One measurement of one database."""

    comparison: "DigestComparison"
    blocks: int
    queries: list[QueryTime]
    plans: list[tuple[QueryTime, list[str]]]
    # This process's CPU time, digest / hand-written query (p50s): on SQLite, the database
    # work of both sides, whatever else the machine runs; on PostgreSQL, the client's only.
    cpu_ratio: float


def _run(ctx: Ctx, url: str, scale: Scale, label: str, plans: int) -> DigestRun:
    times, digest = _alternate(ctx, url, scale)
    queries = profile(ctx, lambda: build_digest(ctx, TEAM, now=NOW))
    slowest = sorted(queries, key=lambda q: q.seconds, reverse=True)[:plans]
    comparison = DigestComparison(NAME, label, 1, _summary(times.uc), _summary(times.sql))
    blocks = len(digest_message(digest).blocks)
    plans_of = [(q, explain(ctx, q)) for q in slowest]
    return DigestRun(comparison, blocks, queries, plans_of, times.cpu_ratio())


@dataclass(frozen=True)
class BackendResult:
    label: str
    sizes: Sizes
    seed_s: float
    run: DigestRun


def _measure(backend: Backend, scale: Scale) -> BackendResult:
    seed_s, url = _timed(lambda: backend.database(seed_for(scale)))
    label, ctx = f"{backend.label} · {scale.reps:,} reps", _ctx(url)
    try:
        run = _run(ctx, url, scale, label, plans=2)
        report(run)
    finally:
        ctx.db.dispose()
    return BackendResult(label, sizes(url), seed_s, run)


def _summary(latencies: list[float]) -> Summary:
    return Summary(ops=len(latencies), seconds=sum(latencies), latencies=tuple(latencies))


# -- report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestComparison(Comparison):
    """The digest (candidate) beside the hand-written per-rep sums (baseline)."""

    @property
    def verdict(self) -> str:
        fast = self.candidate.percentile(50) < TARGET_S
        return "PASS" if fast and self.latency_ratio <= TARGET_RATIO else "OVER"


_HEADER = (
    "database", "reps", "ledger rows", "proposals", "notes", "seed s", "runs", "digest p50 ms",
    "digest max ms", "sql p50 ms", "p50 ×", "cpu ×", "blocks", "queries",
    f"< {TARGET_S:g} s, ≤ {TARGET_RATIO:g}×",
)  # fmt: skip


def _cells(result: BackendResult) -> tuple[str, ...]:
    run, size = result.run, result.sizes
    row = run.comparison
    uc, sql = row.candidate, row.baseline
    return (
        row.database, f"{size.reps:,}", f"{size.ledger:,}", f"{size.proposals:,}",
        f"{size.notes:,}", f"{result.seed_s:.0f}", str(uc.ops), _ms(uc.percentile(50)),
        _ms(max(uc.latencies)), _ms(sql.percentile(50)), f"{row.latency_ratio:.2f}",
        f"{run.cpu_ratio:.2f}" if row.database.startswith("SQLite") else "-", str(run.blocks), str(len(run.queries)), row.verdict,
    )  # fmt: skip


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def render(lines: Sequence[Sequence[str]]) -> str:
    """Fixed-width columns, right-aligned, a rule under the header (as bench.stats.table)."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = ["  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def _breakdown(run: DigestRun) -> str:
    total = sum(q.seconds for q in run.queries) or 1.0
    lines = [("query (repository function)", "rows", "ms", "share")]
    for q in run.queries:
        lines.append((q.label, str(q.rows), f"{q.seconds * 1000:.1f}", f"{q.seconds / total:.0%}"))
    return render(lines)


def _plans(run: DigestRun) -> str:
    return "".join(
        f"\nplan of {q.label} ({q.seconds * 1000:.0f} ms):\n" + "\n".join(f"    {p}" for p in plan)
        for q, plan in run.plans
    )


def report(run: DigestRun) -> None:
    print(f"-- {run.comparison.database}: build_digest's statements, each replayed alone")
    print(_breakdown(run) + _plans(run), end="\n\n", flush=True)


def digest_benchmark(plan: Plan) -> list[Comparison]:
    """The benchmark for `bench.run`: prints its tables, returns one row per database and
    workspace size."""
    scales = scales_of(plan)
    sized = " and ".join(f"{s.reps:,} reps / {s.proposals:,} proposals" for s in scales)
    print(
        f"-- {NAME}: {sized}; digest = digest_message(build_digest(team)), p50 of "
        f"{scales[-1].runs} runs after 1 warm-up, alternating with the hand-written per-rep "
        "sums of the period (bare driver)",
        flush=True,
    )
    results = [_measure(backend, scale) for scale in scales for backend in plan.backends]
    print(render([_HEADER, *map(_cells, results)]), end="\n\n", flush=True)
    return [r.run.comparison for r in results]


# -- alone: python -m bench.digest ---------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone("bench.digest", lambda plan, _args: digest_benchmark(plan), argv)


if __name__ == "__main__":
    sys.exit(main())
