"""Concurrent proposals never overspend; concurrent decisions have exactly one winner.

Runs against a real SQLite file and, when configured, PostgreSQL: threads in one
process, and two separate processes racing on the same database.
"""

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from perks.context import Ctx
from perks.decisions import AlreadyDecidedProposal, approve, reject
from perks.errors import Refused
from perks.overview import budget
from perks.proposals import ProposalForm, propose_perk
from storage.repositories import ledger
from tests.conftest import ADMIN, NOW, TEAM, actor
from tests.usecases.helpers import MANAGER, event_for, propose, with_manager

THREADS = 24


def race(fn, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Run fn(i) in n threads released together; each returns an outcome label."""
    barrier = threading.Barrier(n)

    def go(i: int) -> str:
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(go, range(n)))


def assert_within_budget(ctx: Ctx) -> None:
    view = budget(ctx, actor(ADMIN), now=NOW)
    assert view.team.committed + view.team.reserved <= view.team.budget


def test_threads_proposing_at_once_never_overspend(ctx: Ctx) -> None:
    with_manager(ctx, team_budget="100", auto_approve_limit="15")
    events = [event_for(ctx, f"Customer {i}") for i in range(THREADS)]

    def one(i: int) -> str:
        amount = "10" if i % 2 else "20"  # half auto-approved, half pending (reserved)
        form = ProposalForm(event_id=events[i], amount=amount, description="gift")
        try:
            return propose_perk(ctx, actor(f"UREP{i:04d}"), form, now=NOW).proposal.status
        except Refused:
            return "refused"

    outcomes = Counter(race(one, THREADS))
    assert sum(outcomes.values()) == THREADS  # every proposal got exactly one outcome
    assert outcomes["refused"] > 0 and outcomes["auto_approved"] > 0
    assert_within_budget(ctx)
    view = budget(ctx, actor(ADMIN), now=NOW)
    assert view.team.committed == 1000 * outcomes["auto_approved"]
    assert view.team.reserved == 2000 * outcomes["pending"]
    assert view.team.remaining < 2000  # refusals happened only when it was really full


def test_two_processes_proposing_at_once_never_overspend(ctx: Ctx, db_url: str) -> None:
    with_manager(ctx, team_budget="150", rep_allowance="1000")
    event = event_for(ctx)
    start_at = time.time() + 2.0
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.usecases.race_worker",
                db_url,
                TEAM,
                f"UP{p}R",
                "20",
                str(start_at),
                str(event),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(2)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["errors"] == [] for r in results), results
    assert sum(r["ok"] for r in results) == 15  # 150.00 / 10.00, whatever the interleaving
    assert sum(r["ok"] + r["refused"] for r in results) == 40
    assert_within_budget(ctx)


def test_concurrent_decisions_have_exactly_one_winner(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = propose(ctx, event_for(ctx), "60").proposal.id or 0
    deciders = [MANAGER, ADMIN] * 5

    def one(i: int) -> str:
        who = actor(deciders[i])
        try:
            if i % 3 == 0:
                reject(ctx, who, pid, reason="no", now=NOW)
                return "rejected"
            approve(ctx, who, pid, now=NOW)
            return "approved"
        except AlreadyDecidedProposal as exc:
            assert exc.first.decided_by in (MANAGER, ADMIN)
            return "already"

    outcomes = Counter(race(one, len(deciders)))
    assert outcomes["already"] == len(deciders) - 1
    with ctx.db.session_scope(write=False) as s:
        rows = [e.entry for e in ledger.for_proposal(session=s, team_id=TEAM, proposal_id=pid)]
    assert len(rows) == 2 and rows[0] == "reserve" and rows[1] in ("commit", "release")
