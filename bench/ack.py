"""Benchmark: how fast Perkbot acks Slack (issue 3 item 11, RELIABILITY 1-3).

Three requests, each signed like Slack: `/perk budget` (a form-encoded slash
command; the answer goes out after the ack, from a lazy listener), an **Approve**
click (`block_actions`; the decision runs after the ack, each click on a
pending proposal of its own) and a **Propose a perk** `view_submission` (its
transaction runs inside the ack, with a fresh `client_key` each time). Beside
them, in the same run, the floor: a bare Bolt app whose listeners (for `/perk`,
the Approve button and the proposal submission) only ack, fed requests of the same
kind (in-process: each kind beside its own floor, since Bolt's parsing of a modal's
payload alone costs several times that of a slash command; HTTP: `/perk budget`).

1. In-process: `App.dispatch(BoltRequest(body, headers))`, one request at a
   time, each once the lazy work of the one before is done (so the ack is
   measured alone, not sharing the GIL with earlier work), alternating with
   the floor's requests so both meet the same CPU caches; 5 × `plan.warmup`
   pairs untimed first. Target: p50 ≤ 3× the floor's p50.
2. HTTP loopback: the real waitress server (`bot.server.make_server`) in its
   own process, its lazy listeners calling the fake Slack's Web API, driven by
   16 keep-alive client threads at a paced 100 requests/s in all (70 % budget,
   15 % approve, 15 % submit) for `operations / 40` s (10 s by default, at least
   3 s); latency from sending the request to reading the whole answer. The
   floor app behind the same server gets /perk budget at the same pace for half
   as long. Target: p99 ≤ 50 ms. "backlog s" is how long the server still
   needed afterwards to finish the lazy work it had queued (waiting at most
   half the run's length; then it is stopped): well above zero, it did not
   keep up with the pace.

Between phases the lazy work is drained: the fake Slack sees no call for
QUIET_S and every click and submission is in the database (else BenchFailure).
`python -m bench.ack [--quick] [--pg URL]` runs this benchmark alone.
"""

import contextlib
import http.client
import io
import itertools
import json
import logging
import os
import random
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bench import baseline
from bench.alone import run_alone
from bench.databases import Backend
from bench.plan import BenchFailure, Plan
from bench.slack_fixtures import (
    MANAGER,
    SEED,
    TEAM,
    Signed,
    SlackWorld,
    floor_app,
    pending_proposals,
    settings_overrides,
)
from bench.stats import TARGET_RATIO, Comparison, Summary
from bot.app import create_app
from bot.server import EVENTS_PATH, make_server
from bot.settings import load_settings
from storage.db import Database

NAME = "ack latency (signed request → ack)"
RATE = 100.0  # requests per second over HTTP, all clients together
CLIENTS = 16
MIX = ("budget",) * 14 + ("approve",) * 3 + ("submit",) * 3  # per 20 HTTP requests
TARGET_P99_MS = 50.0
HTTP_WARMUP = 3  # of each kind over HTTP, topped up with /perk budget to one per client
QUIET_S = 0.3  # the fake Slack saw no call for this long: the lazy work is done
DRAIN_TIMEOUT_S = 60.0
PG_ENV = "PERKBOT_TEST_DATABASE_URL"
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class AckComparison(Comparison):
    """A Perkbot request (candidate) beside the no-op Bolt app (baseline).

    In-process rows pass when p50 ≤ 3× the floor's; HTTP rows when p99 ≤ `p99_limit`."""

    backend: str = ""
    path: str = "in-process"
    kind: str = ""
    p99_limit: float | None = None  # seconds
    backlog: float | None = None  # HTTP: seconds the server needed after the run (lazy work)
    offered: float | None = None  # HTTP: requests/s of this kind sent on the pace

    @property
    def throughput_ratio(self) -> float:
        """HTTP: offered / achieved rate (1.0: kept the pace); in-process: as Comparison."""
        if self.offered is None:
            return super().throughput_ratio
        return self.offered / self.candidate.throughput

    @property
    def verdict(self) -> str:
        if self.p99_limit is not None:
            return "PASS" if self.candidate.percentile(99) <= self.p99_limit else "OVER"
        return "PASS" if self.latency_ratio <= TARGET_RATIO else "OVER"

    @property
    def target(self) -> str:
        if self.p99_limit is not None:
            return f"p99 ≤ {self.p99_limit * 1000:g} ms"
        return f"p50 ≤ {TARGET_RATIO:g}× floor"


# -- in-process: App.dispatch ---------------------------------------------------------------


def dispatch(app: App, request: Signed) -> None:
    """What the WSGI adapter does with a request, minus the HTTP."""
    headers: dict[str, str | Sequence[str]] = dict(request.headers)
    response = app.dispatch(BoltRequest(body=request.body.decode(), headers=headers))
    if response.status != 200 or '"errors"' in (response.body or ""):
        raise BenchFailure(f"{request.kind}: HTTP {response.status} {response.body[:200]!r}")


class TrackedExecutor(ThreadPoolExecutor):
    """Bolt's pool for lazy listeners (5 threads, as Bolt's default), counting work in
    flight so that a run can wait for it between requests."""

    def __init__(self) -> None:
        super().__init__(max_workers=5, thread_name_prefix="bench-lazy")
        self._busy = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._changed:
            self._busy += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._changed:
            self._busy -= 1
            self._changed.notify_all()

    def wait_idle(self, timeout: float = DRAIN_TIMEOUT_S) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._busy == 0, timeout):
                raise BenchFailure(f"lazy listeners still busy after {timeout:g} s")


def tracked(app: App) -> TrackedExecutor:
    """The app's lazy listeners run on a TrackedExecutor from now on."""
    runner = app.listener_runner
    executor = runner.listener_executor
    if not isinstance(executor, TrackedExecutor):
        executor.shutdown(wait=False)  # Bolt's own, idle: never used
        executor = TrackedExecutor()
        runner.listener_executor = executor
        runner.lazy_listener_runner.executor = executor  # type: ignore[attr-defined]
    return executor


def side_by_side(
    apps: tuple[App, App], requests: tuple[list[Signed], list[Signed]], warmup: int
) -> tuple[Summary, Summary]:
    """Dispatch the two apps' requests in turn, each once the lazy work of the one before
    is done, so both meet the CPU in the same state (a floor timed in a tight loop of its
    own runs on caches that Perkbot's after-ack work has not cooled). Which goes first
    swaps each pair, so each follows the other's work as often; the first `warmup` pairs
    are untimed."""
    lazies = tuple(tracked(app) for app in apps)
    latencies: tuple[list[float], list[float]] = ([], [])
    for i, pair in enumerate(zip(*requests, strict=True)):
        turns = list(zip(apps, lazies, pair, latencies, strict=True))
        for app, lazy, request, timed in turns if i % 2 == 0 else reversed(turns):
            started = time.perf_counter()
            dispatch(app, request)
            if i >= warmup:
                timed.append(time.perf_counter() - started)
            lazy.wait_idle()
    first, second = (Summary(len(t), sum(t), tuple(t)) for t in latencies)
    return first, second


# -- HTTP: the real server in its own process -----------------------------------------------


def serve_child() -> None:
    """The server process: reads {"floor": bool, "settings": {...}} on stdin, prints its
    port, then serves `perkbot run --http`'s app (or the floor app) until terminated."""
    logging.basicConfig(level=logging.WARNING, format="server: %(levelname)s %(message)s")
    given = json.loads(sys.stdin.readline())
    settings = load_settings(**given["settings"])
    if given["floor"]:
        assert settings.slack_bot_token is not None
        app = floor_app(settings.slack_api_url, settings.slack_bot_token.get_secret_value())
    else:
        app = create_app(settings)
    server = make_server(app, Database(settings.database_url).ping, host="127.0.0.1", port=0)
    print(server.effective_port, flush=True)
    server.run()


class ServerProcess:
    """A server in its own process (its own GIL, as in production), booting as soon as
    it is made; `port` waits until it listens."""

    def __init__(self, overrides: dict[str, Any], *, floor: bool) -> None:
        command = [sys.executable, "-c", "from bench.ack import serve_child; serve_child()"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"floor": floor, "settings": overrides}) + "\n")
        self.process.stdin.flush()
        self._port: int | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            assert self.process.stdout is not None
            line = self.process.stdout.readline().strip()
            if not line.isdigit():
                raise BenchFailure(f"the server did not start (exit code {self.process.poll()})")
            self._port = int(line)
        return self._port

    def stop(self) -> None:
        """Stop the server, lazy work still queued or not. Calls it had in flight to the
        fake Slack then end in broken pipes, which the fake prints: kept quiet here."""
        if self.process.poll() is not None:
            return
        with contextlib.redirect_stderr(io.StringIO()):
            self.process.terminate()
            self.process.wait(10)
            time.sleep(0.3)


@contextlib.contextmanager
def serving(overrides: dict[str, Any]) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """The floor's server and Perkbot's, booting side by side."""
    floor = ServerProcess(overrides, floor=True)
    try:
        perkbot = ServerProcess(overrides, floor=False)
        try:
            yield floor, perkbot
        finally:
            perkbot.stop()
    finally:
        floor.stop()


@dataclass
class Timed:
    kind: str
    latency: float  # seconds from sending to the last byte of the answer


@dataclass
class _Load:
    port: int
    start: float  # perf_counter of request 0
    results: list[Timed] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    finished: float = 0.0


def _post(conn: http.client.HTTPConnection, request: Signed) -> float:
    started = time.perf_counter()
    conn.request("POST", EVENTS_PATH, body=request.body, headers=request.headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200 or b'"errors"' in body:
        raise BenchFailure(f"{request.kind}: HTTP {response.status} {body[:200]!r}")
    return elapsed


def _client(load: _Load, index: int, requests: Sequence[Signed]) -> None:
    """Client `index` sends requests index, index + CLIENTS, … each at its slot in the pace."""
    conn = http.client.HTTPConnection("127.0.0.1", load.port, timeout=30)
    mine = []
    try:
        for k, request in enumerate(requests):
            due = load.start + (index + k * CLIENTS) / RATE
            time.sleep(max(0.0, due - time.perf_counter()))
            mine.append(Timed(request.kind, _post(conn, request)))
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, re-raised there
        load.errors.append(exc)
    finally:
        conn.close()
    with load.lock:
        load.results.extend(mine)
        load.finished = max(load.finished, time.perf_counter())


def paced(port: int, requests: list[Signed]) -> tuple[list[Timed], float]:
    """Send `requests` at RATE over CLIENTS keep-alive connections; (timings, seconds)."""
    load = _Load(port, time.perf_counter() + 0.1)
    clients = [
        threading.Thread(target=_client, args=(load, i, requests[i::CLIENTS]))
        for i in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    if load.errors:
        raise load.errors[0]
    return load.results, load.finished - load.start


def summaries(timed: list[Timed], seconds: float) -> dict[str, Summary]:
    """One summary over every request ("all") and one per kind (same wall time)."""
    kinds: dict[str, list[float]] = {"all": [t.latency for t in timed]}
    for t in timed:
        kinds.setdefault(t.kind, []).append(t.latency)
    return {k: Summary(len(v), seconds, tuple(v)) for k, v in kinds.items()}


# -- the run: one backend --------------------------------------------------------------------


def http_seconds(plan: Plan) -> float:
    return max(3.0, plan.operations / 40)


def in_process_count(plan: Plan) -> int:
    """Measured requests per kind in-process: each waits for the lazy work before it
    (~0.1 s for a submission or a click), so far fewer than `operations`."""
    return max(20, min(plan.operations // 8, 50))


def http_mix(count: int, seed: int = 3) -> list[str]:
    kinds = list(itertools.islice(itertools.cycle(MIX), count))
    random.Random(seed).shuffle(kinds)
    return kinds


class Requests:
    """Signed requests from the world; each click on a pending proposal of its own."""

    def __init__(self, world: SlackWorld) -> None:
        self.world = world
        self._proposals: deque[int] = deque()

    def add_pending(self, proposal_ids: Sequence[int]) -> None:
        self._proposals.extend(proposal_ids)

    def make(self, kind: str) -> Signed:
        if kind == "budget":
            return self.world.budget()
        if kind == "approve":
            return self.world.approve(self._proposals.popleft())
        return self.world.submit()

    def many(self, kinds: Sequence[str]) -> list[Signed]:
        return [self.make(k) for k in kinds]


def drain(
    world: SlackWorld, *, approvals: int, submissions: int, timeout: float = DRAIN_TIMEOUT_S
) -> float | None:
    """Wait for the lazy work: the fake Slack quiet for QUIET_S and every click stored.
    Returns the seconds it took (quiet time excluded), or None after `timeout`."""
    started = time.monotonic()
    seen, quiet_since = -1, started
    while time.monotonic() - started < timeout + QUIET_S:
        calls = len(world.fake.calls())
        if calls != seen:
            seen, quiet_since = calls, time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_S and _stored(world.url) == (
            approvals,
            submissions,
        ):
            return quiet_since - started
        time.sleep(0.05)
    return None


COUNTS = """SELECT
 (SELECT COUNT(*) FROM proposals WHERE team_id = %s AND status = 'approved' AND decided_by = %s),
 (SELECT COUNT(*) FROM proposals WHERE team_id = %s AND client_key IS NOT NULL)"""
PENDING = "SELECT id FROM proposals WHERE team_id = %s AND status = 'pending' ORDER BY id"


def _stored(url: str) -> tuple[int, int]:
    conn = baseline.connect(url)
    try:
        approved, submitted = conn.one(COUNTS, (TEAM, MANAGER, TEAM))
    finally:
        conn.close()
    return int(approved), int(submitted)


def pending_ids(url: str) -> list[int]:
    conn = baseline.connect(url)
    try:
        return [int(row[0]) for row in conn.rows(PENDING, (TEAM,))]
    finally:
        conn.close()


@dataclass
class _Tally:
    """Clicks and submissions sent so far (warm-ups included), for `drain`."""

    approvals: int = 0
    submissions: int = 0

    def add(self, kinds: Sequence[str]) -> None:
        self.approvals += kinds.count("approve")
        self.submissions += kinds.count("submit")


class BackendRun:
    """Every measurement on one database: in-process, then over HTTP.

    The clicks approve what the in-process submissions proposed (real approval requests,
    updated in place), then, over HTTP, proposals made through `perks` just before."""

    def __init__(self, backend: Backend, plan: Plan) -> None:
        self.label, self.plan = backend.label, plan
        self.url = backend.database(SEED)
        self.mix = http_mix(int(RATE * http_seconds(plan)))
        self.world = SlackWorld(self.url)
        self.overrides = settings_overrides(self.world.fake, self.url)
        self.requests = Requests(self.world)
        self.tally = _Tally()

    def close(self) -> None:
        self.world.close()

    def _sent(self, kinds: Sequence[str]) -> list[Signed]:
        self.tally.add(kinds)
        return self.requests.many(kinds)

    def _for_floor(self, kind: str, count: int) -> list[Signed]:
        """Requests of `kind` for the floor app, which stores nothing (so no tally)."""
        make = {"budget": self.world.budget, "submit": self.world.submit}
        return [make[kind]() if kind in make else self.world.approve(0) for _ in range(count)]

    def _drain(self, timeout: float = DRAIN_TIMEOUT_S) -> float | None:
        tally = self.tally
        return drain(
            self.world, approvals=tally.approvals, submissions=tally.submissions, timeout=timeout
        )

    def _drained(self) -> None:
        if self._drain() is None:
            got = _stored(self.url)
            raise BenchFailure(f"lazy work not done: (approved, submitted) {got} ≠ {self.tally}")

    def in_process(self) -> list[AckComparison]:
        # The work after each ack runs on the tracked pool, so each request is timed alone.
        perkbot = create_app(load_settings(**self.overrides), executor=TrackedExecutor())
        floor = floor_app(self.world.fake.api_url, self.world.fake.bot_token)
        warmup = 5 * self.plan.warmup
        count = warmup + in_process_count(self.plan)
        rows = []
        for kind in ("budget", "submit", "approve"):
            if kind == "approve":
                self.requests.add_pending(pending_ids(self.url))
            floor_summary, summary = side_by_side(
                (floor, perkbot), (self._for_floor(kind, count), self._sent([kind] * count)), warmup
            )
            rows.append(self._row("in-process", f"floor {kind}", 1, floor_summary, floor_summary))
            rows.append(self._row("in-process", kind, 1, summary, floor_summary))
        self._drained()  # checks that every click and submission is stored
        return rows

    def over_http(self) -> list[AckComparison]:
        half = ["budget"] * int(RATE * http_seconds(self.plan) / 2)
        clicks = HTTP_WARMUP + self.mix.count("approve")
        with serving(self.overrides) as (floor_server, perkbot_server):
            _ = perkbot_server.port  # both up before anything is measured
            floor, _ = self._http_load(floor_server.port, half)
            floor_server.stop()
            self.requests.add_pending(pending_proposals(self.url, clicks))
            perkbot, backlog = self._http_load(perkbot_server.port, self.mix)
        rows = [self._row("HTTP", "floor", CLIENTS, floor["all"], floor["all"], RATE)]
        for kind in ("all", "budget", "approve", "submit"):
            if kind not in perkbot:
                continue
            share = 1.0 if kind == "all" else self.mix.count(kind) / len(self.mix)
            row = self._row("HTTP", kind, CLIENTS, perkbot[kind], floor["all"], RATE * share)
            rows.append(replace(row, backlog=backlog) if kind == "all" else row)
        return rows

    def _http_load(self, port: int, kinds: list[str]) -> tuple[dict[str, Summary], float | None]:
        """A warm-up (one request per connection, a few of each kind, auth.test), then
        the measured run. Returns the summaries and how long the server then needed to
        finish the lazy work it had queued (None: more than half the run's length)."""
        warmup = sorted(set(kinds)) * HTTP_WARMUP
        paced(port, self._sent((warmup + ["budget"] * CLIENTS)[: max(CLIENTS, len(warmup))]))
        self._drained()
        timed, seconds = paced(port, self._sent(kinds))
        return summaries(timed, seconds), self._drain(timeout=seconds / 2)

    def _row(
        self,
        path: str,
        kind: str,
        clients: int,
        candidate: Summary,
        floor: Summary,
        offered: float | None = None,
    ) -> AckComparison:
        limit = TARGET_P99_MS / 1000 if path == "HTTP" else None
        return AckComparison(
            NAME,
            f"{self.label} {path} {kind}",
            clients,
            candidate,
            floor,
            backend=self.label,
            path=path,
            kind=kind,
            p99_limit=limit,
            offered=offered,
        )


def run_backend(backend: Backend, plan: Plan) -> list[AckComparison]:
    run = BackendRun(backend, plan)
    try:
        return run.in_process() + run.over_http()
    finally:
        run.close()


# -- report ----------------------------------------------------------------------------------

_HEADER = (
    "database",
    "path",
    "request",
    "clients",
    "n",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "floor p50",
    "p50 ×floor",
    "target",
    "",
    "backlog s",
)


def _ms(summary: Summary, p: float) -> str:
    return f"{summary.percentile(p) * 1000:.2f}"


def _cells(row: AckComparison) -> tuple[str, ...]:
    s, floor = row.candidate, row.baseline
    is_floor = row.kind.startswith("floor")
    return (
        row.backend,
        row.path,
        row.kind.replace("floor", "floor (no-op Bolt)") if is_floor else row.kind,
        str(row.threads),
        str(s.ops),
        f"{s.throughput:.0f}" if row.path == "HTTP" else "",
        _ms(s, 50),
        _ms(s, 95),
        _ms(s, 99),
        f"{max(s.latencies) * 1000:.1f}",
        _ms(floor, 50),
        f"{row.latency_ratio:.2f}",
        "" if is_floor and row.p99_limit is None else row.target,
        "" if is_floor and row.p99_limit is None else row.verdict,
        _backlog(row),
    )


def _backlog(row: AckComparison) -> str:
    if row.path != "HTTP" or row.kind != "all":
        return ""
    if row.backlog is None:
        return f"> {row.candidate.seconds / 2:.1f}"
    return f"{row.backlog:.1f}"


def detail_table(rows: Sequence[AckComparison]) -> str:
    lines = [_HEADER, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(_HEADER))]
    rendered = ["  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(rendered)


def ack_latency(plan: Plan) -> list[Comparison]:
    """The benchmark for `bench.run`: prints its detailed table, returns one row per run."""
    print(
        f"-- {NAME}: in-process {in_process_count(plan)} per request kind, one at a time, "
        f"alternating with the floor; "
        f"HTTP {CLIENTS} clients at {RATE:g} req/s for {http_seconds(plan):g} s "
        f"({'/'.join(str(MIX.count(k) * 5) for k in ('budget', 'approve', 'submit'))} % "
        f"budget/approve/submit); floor = a Bolt app whose listeners only ack, fed the same "
        f"kind of request (HTTP: /perk budget); "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    rows: list[Comparison] = []
    for backend in plan.backends:
        found = run_backend(backend, plan)
        print(detail_table(found), end="\n\n", flush=True)
        rows.extend(found)
    return rows


# -- alone: python -m bench.ack --------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone("bench.ack", lambda plan, _args: ack_latency(plan), argv)


if __name__ == "__main__":
    sys.exit(main())
