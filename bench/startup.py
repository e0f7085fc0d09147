"""Benchmark: start-up time and resident memory of `perkbot run --http` (issue 5 item 8;
issue 3: `/healthz` and a signed `/perk help` answered within a second of starting).

Each run spawns the real command, `python -m bot.cli run --http --port P`, with the
environment an operator would give it (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_API_URL pointing at a fake Slack in this process, DATABASE_URL an already
migrated and seeded database, PERKBOT_SCHEDULER=off, LOG_LEVEL=WARNING), and times
from just before the spawn to:
1. the first 200 from GET /healthz (polled every POLL_S), with the CPU time the process
   had used by then (/proc/PID/stat: on a loaded machine, wall time is that plus the
   wait for a core, so this is the figure to compare across machines);
2. then the HTTP 200 ack of a signed `/perk help` (sent once /healthz answered);
3. then the fake Slack holding the ephemeral help reply Perkbot posts to the
   response_url after the ack (what the user sees). Perkbot serves while its listeners
   load behind the server (bot.starting); the reply waits for them, so this is also
   about when Perkbot has loaded.
Then, SETTLE_S later, VmRSS and VmHWM (peak) from /proc/PID/status: "idle".
In the last run the process also gets LOAD signed requests, paced as in `bench.ack`
(16 keep-alive clients, 100 requests/s in all; 70 % `/perk budget`, 15 % Approve
clicks on pending proposals of their own, 15 % proposal submissions); once the work
after the acks is drained (every click and submission stored, the fake quiet), its
VmRSS and VmHWM again: "after 1,000 requests".

Beside it, in the same run and alternating with it, the floor: `bench.bare_server`, a
bare Bolt app with no-op listeners (its `/perk help` answers one line through the
response_url) and /healthz, behind waitress as `bot.server.make_server` builds it,
importing nothing of Perkbot's; same measurements, same requests.

Targets: start → /healthz < 1.5 s (issue 5); /healthz and `/perk help` answered < 1 s
(issue 3; judged on the HTTP answer, the ack; the reply is shown, not judged); RSS
< 120 MB (114.4 MiB)
idle and after 1,000 requests. Times and idle memory are judged on the median of the
runs. `python -m bench.startup [--quick] [--pg URL]` runs this benchmark alone.
"""

import contextlib
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench.ack import Requests, drain, http_mix, paced
from bench.alone import run_alone
from bench.databases import Backend
from bench.digest import render
from bench.plan import BenchFailure, Plan
from bench.slack_fixtures import ADMIN, REPS, SECRET, SEED, Signed, SlackWorld, pending_proposals
from bench.stats import Comparison, Summary, percentile
from bot.fakeslack.client import SlackClient

NAME = "start-up and memory (perkbot run --http)"
TARGET_HEALTHZ_S = 1.5
TARGET_ANSWER_S = 1.0
TARGET_RSS_MIB = 120e6 / 2**20  # 120 MB
LOAD = 1000
POLL_S = 0.005
SETTLE_S = 0.5
START_TIMEOUT_S = 30.0
REPLY_TIMEOUT_S = 10.0
REP = REPS[0]
ROOT = Path(__file__).resolve().parents[1]
PERKBOT, FLOOR = "Perkbot", "floor"
HELP_SAYS = {PERKBOT: "helps you notice", FLOOR: "help"}  # in the help reply
# An operator's shell may hold these; they would switch `perkbot run` to another mode.
UNSET = ("SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "PERKBOT_CATALOG")


def runs_for(plan: Plan) -> int:
    return 3 if plan.operations < 400 else 5


# -- one process --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(kind: str, port: int) -> list[str]:
    if kind == FLOOR:
        return [sys.executable, "-m", "bench.bare_server", str(port)]
    return [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port)]


def environment(world: SlackWorld, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    return env | {
        "SLACK_BOT_TOKEN": world.fake.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": world.fake.api_url,
        "DATABASE_URL": url,
        "PERKBOT_ADMINS": ADMIN,
        "PERKBOT_SCHEDULER": "off",
        "LOG_LEVEL": "WARNING",
    }


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a live process, in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024  # kB
    return found["VmRSS"], found["VmHWM"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process has used (10 ms ticks)."""
    after_name = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")


class Child:
    """A server process, spawned as soon as it is made; its stderr kept for a failure."""

    def __init__(self, kind: str, env: dict[str, str]) -> None:
        self.kind, self.port = kind, free_port()
        self._log: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed by stop()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command(kind, self.port),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            text=True,
        )

    def since_start(self) -> float:
        return time.perf_counter() - self.started

    def failure(self, what: str) -> BenchFailure:
        self._log.seek(0)
        tail = self._log.read()[-2000:]
        return BenchFailure(f"{self.kind}: {what} (exit code {self.process.poll()})\n{tail}")

    def cpu(self) -> float:
        if self.process.poll() is not None:
            raise self.failure("ended")
        return cpu_seconds(self.process.pid)

    def memory(self) -> tuple[float, float]:
        if self.process.poll() is not None:
            raise self.failure("ended")
        return memory_mib(self.process.pid)

    def stop(self) -> None:
        """Terminate; a call still in flight to the fake then ends in a broken pipe, which
        the fake prints: kept quiet here."""
        if self.process.poll() is None:
            with contextlib.redirect_stderr(io.StringIO()):
                self.process.terminate()
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
                time.sleep(0.1)
        self._log.close()


def _healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except ConnectionRefusedError:
        return False
    finally:
        conn.close()


def wait_healthy(child: Child) -> float:
    """Seconds from the spawn to the first 200 from /healthz."""
    while child.since_start() < START_TIMEOUT_S:
        if _healthy(child.port):
            return child.since_start()
        if child.process.poll() is not None:
            raise child.failure("ended before /healthz answered")
        time.sleep(POLL_S)
    raise child.failure(f"/healthz not answered within {START_TIMEOUT_S:g} s")


# -- the measurements -----------------------------------------------------------------------


@dataclass(frozen=True)
class Boot:
    """One start: seconds from the spawn, CPU seconds it had used by then, and memory
    (MiB) once idle."""

    healthz: float
    cpu: float
    help_ack: float
    help_reply: float
    rss: float
    hwm: float


@dataclass(frozen=True)
class Loaded:
    """After LOAD requests, the work after their acks done."""

    rss: float
    hwm: float
    p99: float  # seconds, request sent → answer read
    seconds: float  # to send them all


def boot(child: Child, world: SlackWorld) -> Boot:
    healthz = wait_healthy(child)
    cpu = child.cpu()
    client = SlackClient(f"http://127.0.0.1:{child.port}/slack/events", SECRET, world.fake)
    before = len(world.fake.ephemerals(REP))
    reply = client.command(REP, "/perk", "help")
    help_ack = child.since_start()
    if reply.status != 200:
        raise child.failure(f"/perk help: HTTP {reply.status} {reply.raw[:200]!r}")
    try:
        world.fake.wait_for(lambda: len(world.fake.ephemerals(REP)) > before, REPLY_TIMEOUT_S)
    except TimeoutError:
        raise child.failure("no help reply at the fake Slack") from None
    help_reply = child.since_start()
    shown = world.fake.ephemerals(REP)[-1]
    if HELP_SAYS[child.kind] not in shown.text + json.dumps(shown.blocks):
        raise child.failure(f"/perk help answered {shown.text[:200]!r}")
    time.sleep(SETTLE_S)
    return Boot(healthz, cpu, help_ack, help_reply, *child.memory())


def load(
    child: Child, world: SlackWorld, requests: list[Signed], stored: tuple[int, int]
) -> Loaded:
    """`requests` sent at `bench.ack`'s pace, then drained: the fake quiet and the
    database holding `stored` (approved clicks, submissions)."""
    timed, seconds = paced(child.port, requests)
    if drain(world, approvals=stored[0], submissions=stored[1]) is None:
        raise child.failure(f"work after the acks not done (expected {stored} stored)")
    p99 = percentile([t.latency for t in timed], 99)
    return Loaded(*child.memory(), p99, seconds)


# -- one database: the runs ------------------------------------------------------------------


@dataclass
class Measured:
    boots: list[Boot] = field(default_factory=list)
    loaded: Loaded | None = None


class BackendRun:
    """Every measurement on one database: `runs` starts of each process, alternating (the
    floor first), each alone on the machine; the last start of each also gets the load."""

    def __init__(self, backend: Backend, runs: int) -> None:
        self.label, self.runs = backend.label, runs
        url = backend.database(SEED)
        self.world = SlackWorld(url)
        self.env = environment(self.world, url)
        self.kinds = http_mix(LOAD)
        self.pending = pending_proposals(url, self.kinds.count("approve"))
        self.measured = {FLOOR: Measured(), PERKBOT: Measured()}

    def close(self) -> None:
        self.world.close()

    def _requests(self, kind: str) -> list[Signed]:
        maker = Requests(self.world)
        # The floor stores nothing: any proposal id will do for its clicks.
        maker.add_pending(self.pending if kind == PERKBOT else [0] * len(self.pending))
        return maker.many(self.kinds)

    def _stored(self, kind: str) -> tuple[int, int]:
        """What the database must hold once the load's work is done (the floor: nothing)."""
        if kind == FLOOR:
            return 0, 0
        return self.kinds.count("approve"), self.kinds.count("submit")

    def _once(self, kind: str, *, loaded: bool) -> None:
        child = Child(kind, self.env)
        try:
            self.measured[kind].boots.append(boot(child, self.world))
            if loaded:
                requests = self._requests(kind)
                self.measured[kind].loaded = load(child, self.world, requests, self._stored(kind))
        finally:
            child.stop()

    def run(self) -> dict[str, Measured]:
        for i in range(self.runs):
            for kind in (FLOOR, PERKBOT):
                self._once(kind, loaded=i == self.runs - 1)
        return self.measured


# -- report ----------------------------------------------------------------------------------

Values = Callable[[Measured], tuple[float, ...]]
SCALE = {"s": 1.0, "MiB": 1000.0}  # MiB go into a Summary as thousandths: "ms" columns read MiB


def _of_boots(name: str) -> Values:
    return lambda m: tuple(getattr(b, name) for b in m.boots)


def _of_load(name: str) -> Values:
    return lambda m: (getattr(m.loaded, name),) if m.loaded else ()


@dataclass(frozen=True)
class Metric:
    label: str
    unit: str  # "s" or "MiB"
    limit: float | None  # in `unit`; None: shown, not judged
    values: Values


METRICS = (
    Metric("start → /healthz 200", "s", TARGET_HEALTHZ_S, _of_boots("healthz")),
    Metric("CPU used to /healthz 200", "s", None, _of_boots("cpu")),
    Metric("start → /perk help ack", "s", TARGET_ANSWER_S, _of_boots("help_ack")),
    Metric("start → help reply at Slack", "s", None, _of_boots("help_reply")),
    Metric("RSS idle", "MiB", TARGET_RSS_MIB, _of_boots("rss")),
    Metric("peak RSS (VmHWM) idle", "MiB", None, _of_boots("hwm")),
    Metric(f"RSS after {LOAD:,} requests", "MiB", TARGET_RSS_MIB, _of_load("rss")),
    Metric(f"peak RSS after {LOAD:,} requests", "MiB", None, _of_load("hwm")),
)


@dataclass(frozen=True)
class StartupComparison(Comparison):
    """One measure of Perkbot (candidate) beside the floor (baseline), over the runs.

    PASS when Perkbot's median is under the target; "—" when the measure has none."""

    metric: str = ""
    unit: str = "s"
    limit: float | None = None

    def median(self, summary: Summary) -> float:
        return summary.percentile(50) * SCALE[self.unit]

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "—"
        return "PASS" if self.median(self.candidate) < self.limit else "OVER"

    @property
    def target(self) -> str:
        if self.limit is None:
            return ""
        if self.unit == "MiB":
            return f"< {self.limit:.1f} MiB (120 MB)"
        return f"< {self.limit:g} s"


def _summary(values: tuple[float, ...], unit: str) -> Summary:
    scaled = tuple(v / SCALE[unit] for v in values)
    return Summary(len(scaled), sum(scaled), scaled)


def comparisons(label: str, measured: dict[str, Measured]) -> list[StartupComparison]:
    rows = []
    for m in METRICS:
        unit_note = " [MiB in the ms columns]" if m.unit == "MiB" else ""
        rows.append(
            StartupComparison(
                NAME,
                f"{label} {m.label}{unit_note}",
                1,
                _summary(m.values(measured[PERKBOT]), m.unit),
                _summary(m.values(measured[FLOOR]), m.unit),
                metric=m.label,
                unit=m.unit,
                limit=m.limit,
            )
        )
    return rows


_HEADER = (
    "database", "measure", "Perkbot p50", "min", "max", "floor p50", "×floor", "target", "",
    "Perkbot, run by run",
)  # fmt: skip


def _fmt(value: float, unit: str) -> str:
    return f"{value:.3f}" if unit == "s" else f"{value:.1f}"


def _cells(label: str, row: StartupComparison) -> tuple[str, ...]:
    values = [v * SCALE[row.unit] for v in row.candidate.latencies]
    mine, floor = row.median(row.candidate), row.median(row.baseline)
    return (
        label,
        f"{row.metric} ({row.unit})",
        _fmt(mine, row.unit),
        _fmt(min(values), row.unit),
        _fmt(max(values), row.unit),
        _fmt(floor, row.unit),
        f"{mine / floor:.2f}",
        row.target,
        row.verdict,
        " ".join(_fmt(v, row.unit) for v in values),
    )


def detail_table(label: str, rows: Sequence[StartupComparison]) -> str:
    return render([_HEADER, *(_cells(label, r) for r in rows)])


def load_line(measured: dict[str, Measured]) -> str:
    parts = []
    for kind in (PERKBOT, FLOOR):
        done = measured[kind].loaded
        if done is not None:
            parts.append(f"{kind} p99 {done.p99 * 1000:.1f} ms, sent in {done.seconds:.1f} s")
    return f"{LOAD:,} requests at 100/s over 16 clients: " + "; ".join(parts)


def run_backend(backend: Backend, runs: int) -> dict[str, Measured]:
    run = BackendRun(backend, runs)
    try:
        return run.run()
    finally:
        run.close()


def _about(runs: int) -> str:
    return (
        f"-- {NAME}: {runs} starts of each process, alternating; from the spawn to /healthz "
        f"200, then to a signed /perk help acked and its reply at the fake Slack; memory "
        f"{SETTLE_S:g} s later (idle) and after {LOAD:,} signed requests (last run); floor = "
        f"bare Bolt app behind waitress (bench.bare_server); load average "
        f"{os.getloadavg()[0]:.1f}"
    )


def startup_benchmark(plan: Plan) -> list[Comparison]:
    """The benchmark for `bench.run`: prints its detailed table, returns one row per measure."""
    runs = runs_for(plan)
    print(_about(runs), flush=True)
    rows: list[Comparison] = []
    for backend in plan.backends:
        measured = run_backend(backend, runs)
        rows.extend(found := comparisons(backend.label, measured))
        print(detail_table(backend.label, found), load_line(measured), sep="\n", end="\n\n")
    print(f"load average after: {os.getloadavg()[0]:.1f}", flush=True)
    return rows


# -- alone: python -m bench.startup ----------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone("bench.startup", lambda plan, _args: startup_benchmark(plan), argv)


if __name__ == "__main__":
    sys.exit(main())
