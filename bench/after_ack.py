"""Diagnostic, no target: the CPU each kind of request costs, its ack and all the work
after it together, as one Perkbot process spends it.

Over HTTP at 100 requests/s (bench.ack) the work that follows the acks is what holds the
one core CPython gives the process, and the acks wait for it: this shows where that
time goes. The app runs the work after each ack inline, on the dispatching thread, and
that thread's CPU time (`time.thread_time`) is counted; the fake Slack answers from
threads of its own, which are not. Nor are the App Home refreshes that the throttle
defers to the end of a person's second (timer threads; at most one per person and
second). `python -m bench.after_ack [--quick] [--pg URL]`.
"""

import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from bench.ack import Requests, dispatch
from bench.alone import run_alone
from bench.plan import Plan
from bench.slack_fixtures import SEED, SlackWorld, pending_proposals, settings_overrides
from bot.app import create_app
from bot.settings import load_settings

KINDS = ("budget", "submit", "approve")
MIX = {"budget": 70, "submit": 15, "approve": 15}  # per second, as bench.ack sends them
WARMUP = 10
SETTLE_S = 1.5  # past the App Home throttle's gap, so warm-up refreshes do not fold in


class Inline(ThreadPoolExecutor):
    """Runs the work after an ack at once, on the thread that dispatched the request."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 -- handed over, as a pool would
            done.set_exception(exc)
        return done


def cpu_per_request(url: str, kind: str, count: int) -> tuple[float, float]:
    """(thread CPU ms, wall ms) per request of `kind`, ack and after-ack work together."""
    world = SlackWorld(url)
    try:
        app = create_app(load_settings(**settings_overrides(world.fake, url)), executor=Inline())
        requests = Requests(world)
        if kind == "approve":
            requests.add_pending(pending_proposals(url, count + WARMUP))
        sent = [requests.make(kind) for _ in range(count + WARMUP)]
        for request in sent[:WARMUP]:
            dispatch(app, request)
        time.sleep(SETTLE_S)
        wall, cpu = time.perf_counter(), time.thread_time()
        for request in sent[WARMUP:]:
            dispatch(app, request)
        cpu_ms = (time.thread_time() - cpu) / count * 1e3
        wall_ms = (time.perf_counter() - wall) / count * 1e3
        time.sleep(SETTLE_S)  # the App Home refreshes still due, before the fake Slack goes
        return cpu_ms, wall_ms
    finally:
        world.close()


def report(plan: Plan) -> None:
    count = 100 if plan.operations < 400 else 300
    print(f"-- CPU per request, its ack and the work after it ({count} of each, one at a time)")
    print(f"{'database':>10}  {'request':>8}  {'CPU ms':>7}  {'wall ms':>8}  {'at 100 req/s':>13}")
    for backend in plan.backends:
        share = 0.0
        for kind in KINDS:
            cpu, wall = cpu_per_request(backend.database(SEED), kind, count)
            share += cpu * MIX[kind] / 1e3
            print(f"{backend.label:>10}  {kind:>8}  {cpu:7.2f}  {wall:8.2f}")
        print(f"{backend.label:>10}  {'mix':>8}  {'':>7}  {'':>8}  {share:10.2f} CPU s/s")


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone("bench.after_ack", lambda plan, _args: report(plan), argv)


if __name__ == "__main__":
    sys.exit(main())
