"""Benchmark: propose a perk that needs approval, then approve it.

One operation is two transactions: a rep proposes 60.00 (over the 25.00
auto-approve threshold, so it is reserved and pending), and a manager approves
it (commit ledger row, note task). Measured through `perks.proposals` /
`perks.decisions`, and beside it as hand-written SQL (`bench.baseline`) on a
copy of the same seeded database.

Twenty reps with five customers each are shared out among the threads (one
thread: all of them; twenty threads: one rep each), and every operation moves
on to the next customer, so no customer collects more perks than the
per-customer cap would ever allow in real use.
"""

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bench import baseline
from bench.databases import Backend, Seed
from bench.harness import Operation, WorkerFactory, measure, measure_counting_retries
from bench.plan import BenchFailure, Plan
from bench.stats import Comparison, Summary
from perks.admin import SettingsForm, update_settings
from perks.catalog import load_catalog
from perks.context import Actor, Ctx
from perks.decisions import approve
from perks.events import EventForm, log_event
from perks.kinds import EventKind
from perks.proposals import ProposalForm, propose_perk
from storage.db import Database

NAME = "propose + approve"
TEAM = "TBENCH"
ADMIN = "UADMIN"
MANAGERS = ("UMGR01", "UMGR02")
REPS = 20
CUSTOMERS_PER_REP = 5
NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
AMOUNT, AMOUNT_MINOR = "60.00", 6_000
DESCRIPTION = "Flowers and a card"
SETTINGS = SettingsForm(
    managers=list(MANAGERS),
    team_budget="10,000,000.00",
    rep_allowance="1,000,000.00",
    customer_cap="1,000,000.00",
    max_perk="250.00",
)


def rep_of(rep: int) -> str:
    return f"UREP{rep:02d}"


def manager_of(rep: int) -> str:
    return MANAGERS[rep % len(MANAGERS)]


def _ctx(url: str) -> Ctx:
    return Ctx(db=Database(url), catalog=load_catalog(None), admins=frozenset({ADMIN}))


def _seed(url: str) -> None:
    """High budgets, two managers, and each rep's customers with a life event each."""
    ctx = _ctx(url)
    try:
        update_settings(ctx, Actor(TEAM, ADMIN), SETTINGS, now=NOW)
        for rep, customer in itertools.product(range(REPS), range(CUSTOMERS_PER_REP)):
            form = EventForm(
                customer=f"Customer {rep:02d}-{customer}",
                company="Bench Ltd",
                kind=EventKind.NEW_BABY,
            )
            log_event(ctx, Actor(TEAM, rep_of(rep)), form, now=NOW)
    finally:
        ctx.db.dispose()


SEED = Seed("ledger", _seed)


def _event_ids(url: str) -> dict[str, list[int]]:
    """Each rep's life events (one per customer), oldest first."""
    conn = baseline.connect(url)
    try:
        sql = "SELECT logged_by, id FROM life_events WHERE team_id = %s ORDER BY id"
        rows = conn.rows(sql, (TEAM,))
    finally:
        conn.close()
    events: dict[str, list[int]] = {}
    for rep, event_id in rows:
        events.setdefault(rep, []).append(int(event_id))
    return events


@dataclass(frozen=True)
class Step:
    rep: str
    manager: str
    event_id: int


def _steps(events: dict[str, list[int]], thread: int, threads: int) -> Iterator[Step]:
    """The thread's own reps in turn, each moving on to its next customer."""
    reps = [r for r in range(REPS) if r % threads == thread]
    if not reps:
        raise ValueError(f"{threads} threads but only {REPS} reps")
    order = [
        Step(rep_of(r), manager_of(r), events[rep_of(r)][c])
        for c in range(CUSTOMERS_PER_REP)
        for r in reps
    ]
    return itertools.cycle(order)


def _through_use_cases(ctx: Ctx, events: dict[str, list[int]], threads: int) -> WorkerFactory:
    @contextmanager
    def worker(thread: int) -> Iterator[Operation]:
        steps = _steps(events, thread, threads)

        def operation(_i: int) -> None:
            step = next(steps)
            form = ProposalForm(event_id=step.event_id, amount=AMOUNT, description=DESCRIPTION)
            proposed = propose_perk(ctx, Actor(TEAM, step.rep), form, now=NOW)
            approve(ctx, Actor(TEAM, step.manager), proposed.proposal.id or 0, now=NOW)

        yield operation

    return worker


def _by_hand(
    url: str, events: dict[str, list[int]], threads: int, retries: list[int]
) -> WorkerFactory:
    @contextmanager
    def worker(thread: int) -> Iterator[Operation]:
        steps = _steps(events, thread, threads)
        conn = baseline.connect(url)

        def operation(_i: int) -> None:
            step = next(steps)
            request = baseline.PerkRequest(TEAM, step.rep, step.event_id, AMOUNT_MINOR, DESCRIPTION)
            proposal_id = baseline.propose_pending(conn, request, NOW)
            baseline.approve(conn, TEAM, step.manager, proposal_id, NOW)

        try:
            yield operation
        finally:
            retries.append(conn.retries)
            conn.close()

    return worker


Runner = Callable[[str, dict[str, list[int]], Plan, int], Summary]


def _run_use_cases(url: str, events: dict[str, list[int]], plan: Plan, threads: int) -> Summary:
    ctx = _ctx(url)
    try:
        factory = _through_use_cases(ctx, events, threads)
        return measure_counting_retries(
            factory, threads=threads, per_thread=plan.per_thread(threads), warmup=plan.warmup
        )
    finally:
        ctx.db.dispose()


def _run_by_hand(url: str, events: dict[str, list[int]], plan: Plan, threads: int) -> Summary:
    retries: list[int] = []
    factory = _by_hand(url, events, threads, retries)
    summary = measure(
        factory, threads=threads, per_thread=plan.per_thread(threads), warmup=plan.warmup
    )
    return replace(summary, retries=sum(retries))


def _measured(backend: Backend, plan: Plan, threads: int, runner: Runner) -> Summary:
    """One run on a fresh copy of the seeded database, verified afterwards."""
    url = backend.database(SEED)
    summary = runner(url, _event_ids(url), plan, threads)
    verify(url, operations=summary.ops + threads * plan.warmup)
    return summary


def propose_and_approve(plan: Plan) -> list[Comparison]:
    rows = []
    for backend in plan.backends:
        for threads in plan.thread_counts:
            used = _measured(backend, plan, threads, _run_use_cases)
            by_hand = _measured(backend, plan, threads, _run_by_hand)
            rows.append(Comparison(NAME, backend.label, threads, used, by_hand))
    return rows


PER_PERIOD = """SELECT l.period_start, w.team_budget,
 SUM(CASE WHEN l.entry = 'reserve' THEN l.amount ELSE 0 END)
 - SUM(CASE WHEN l.entry = 'release' THEN l.amount ELSE 0 END)
 FROM ledger_entries l JOIN workspaces w ON w.team_id = l.team_id
 WHERE l.team_id = %s GROUP BY l.period_start, w.team_budget"""
COUNTS = """SELECT
 (SELECT COUNT(*) FROM ledger_entries WHERE team_id = %s AND entry = 'commit'),
 (SELECT COUNT(*) FROM proposals WHERE team_id = %s AND status = 'approved'),
 (SELECT COUNT(*) FROM proposals WHERE team_id = %s),
 (SELECT COUNT(*) FROM note_tasks WHERE team_id = %s)"""


def verify(url: str, *, operations: int) -> None:
    """committed + reserved ≤ team budget in every period; one commit per operation."""
    conn = baseline.connect(url)
    try:
        periods = conn.rows(PER_PERIOD, (TEAM,))
        commits, approved, proposals, notes = conn.one(COUNTS, (TEAM,) * 4)
    finally:
        conn.close()
    for period, budget, used in periods:
        if used > budget:
            raise BenchFailure(f"{url}: period {period} used {used} > team budget {budget}")
    counted = {"commit rows": commits, "approved": approved, "proposals": proposals, "notes": notes}
    wrong = {k: v for k, v in counted.items() if v != operations}
    if wrong:
        raise BenchFailure(f"{url}: expected {operations} of each, got {wrong}")
