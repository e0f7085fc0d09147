"""Benchmark: 10,000 due note reminders through the fake Slack (issue 4 item 7).

10,000 open note tasks due now (one customer each), 50 for each of 200 reps,
seeded in bulk (`bench.seed`); every rep's timezone already read from Slack
today, so the pass makes no users.info calls. The tasks (and so the outbox rows)
come due round-robin over the reps; `--shuffled` deals them at random, as
approvals happen. The fake Slack runs in its own process (its CPU is not the
pass's) and enforces Slack's limit, one chat.postMessage per second per channel
(a rep's DM here), so it allows 200 posts/s in all; on top of that it answers
one post in 1,000 with a 429 (Retry-After: 1), spread over the run. Then one
`Jobs.run("reminders", now)` with the WebClient of `bot.tokens.web_client` and
`Pacer(gap=1.0)`, as in production: planning overlapped with sending, posts to
different channels at once, each channel paced.

Reported: reminders delivered (each task's message found in its rep's DM, by the
`note-{task id}` block), duplicates, lost, elapsed, the delivered rate against
the 200/s the fake allows (target ≥ 90 %, 0 duplicates, 0 lost), and, from the
fake's records, where the time went: planning (start to first post), sending,
how long the first round over all channels took, the gap between successive
posts to one channel (1 s is the floor), and the 429s the fake answered
(injected, or for posting too fast). `python -m bench.reminders [--quick] [--pg
URL]` runs it alone; `--quick` (or a plan of fewer than 400 operations) sends
1,000 reminders.
"""

import argparse
import itertools
import multiprocessing
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection

from bench import seed
from bench.alone import run_alone
from bench.databases import Backend, Seed
from bench.digest import render
from bench.plan import BenchFailure, Plan
from bench.stats import Comparison, Summary
from bot.delivery import SENDERS, Pacer
from bot.fakeslack.records import Event
from bot.fakeslack.server import FakeSlack
from bot.jobs import Jobs
from bot.settings import load_settings
from bot.tokens import web_client
from perks.catalog import load_catalog
from perks.context import Ctx
from storage.db import Database

NAME = "due note reminders → fake Slack"
TEAM = "TBENCHREMIND"
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday, 10:00 UTC
REPS = 200
PER_CHANNEL_PER_S = 1.0  # the fake's limit, as Slack's for chat.postMessage
INJECT_EVERY = 1_000  # posts per injected 429
TARGET_SHARE = 0.9
FULL_OPERATIONS = 400  # bench.run's default; fewer (--quick) sends a tenth
PG_ENV = "PERKBOT_TEST_DATABASE_URL"
NOTE_BLOCK = re.compile(r"^note-(\d+)$")


def reminders_for(plan: Plan) -> int:
    return 10_000 if plan.operations >= FULL_OPERATIONS else 1_000


# -- seeding -----------------------------------------------------------------------------

TASK_COLUMNS = (
    "id", "team_id", "rep_user_id", "customer_id", "wording", "status", "due_date",
    "remind_at", "reminders_sent", "overdue_reminders", "created_at",
)  # fmt: skip
WORDING = "Thank you for being such a wonderful customer this year!"


@dataclass(frozen=True)
class Load:
    reminders: int
    shuffled: bool = False

    @property
    def order(self) -> str:
        return "shuffled" if self.shuffled else "round-robin"


def rep_order(load: Load) -> list[int]:
    """Each rep `reminders / REPS` times: round-robin, or shuffled."""
    reps = [i % REPS for i in range(load.reminders)]
    if load.shuffled:
        random.Random(11).shuffle(reps)
    return reps


def _tasks(ld: seed.Loader, load: Load) -> Iterator[seed.Row]:
    due, now, created = ld.day(NOW.date()), ld.stamp(NOW), ld.stamp(NOW - timedelta(days=2))
    for task_id, rep in enumerate(rep_order(load), start=1):
        yield (task_id, TEAM, seed.rep_id(rep), task_id, WORDING, "open", due, now, 0, 0, created)


def seed_for(load: Load) -> Seed:
    def prepare(url: str) -> None:
        with seed.loading(url) as ld:
            seed.workspace(ld, TEAM, NOW - timedelta(days=30))
            seed.members(ld, TEAM, reps=REPS, managers=0, checked_at=NOW)
            seed.customers(ld, TEAM, load.reminders, NOW - timedelta(days=30))
            ld.load("note_tasks", TASK_COLUMNS, _tasks(ld, load))

    return Seed(f"reminders-{load.reminders}-{load.order}", prepare)


# -- the fake Slack, in its own process -----------------------------------------------------


@dataclass(frozen=True)
class FakeReport:
    per_task: dict[int, int]  # reminder messages found per task id
    post_times: list[float]  # epoch seconds of the successful posts
    answered_429: int
    injected: int
    channel_gaps: tuple[float, ...]  # s between successive successful posts to one channel
    first_round: float  # s from the first post to the last channel's first post


class _Injector:
    """Queues one 429 each time another `INJECT_EVERY` posts went through (half-way)."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake, self.posts, self.injected = fake, 0, 0

    def __call__(self, event: Event) -> None:
        if event.kind != "api.call" or event.data.get("method") != "chat.postMessage":
            return
        if event.data.get("ok"):
            self.posts += 1
        if self.posts >= (self.injected + 0.5) * INJECT_EVERY:
            self.fake.fail_next("chat.postMessage", 429, retry_after=1)
            self.injected += 1


def _report(fake: FakeSlack, injected: int) -> FakeReport:
    found: Counter[int] = Counter()
    for rep in range(REPS):  # every rep's DM; the reminder's buttons are in `note-{task id}`
        for message in fake.messages(fake.dm(seed.rep_id(rep))):
            for block in message.blocks or []:
                if match := NOTE_BLOCK.match(str(block.get("block_id", ""))):
                    found[int(match.group(1))] += 1
    calls = fake.calls("chat.postMessage")
    by_channel: dict[str, list[float]] = {}
    for call in calls:
        if call.ok:
            by_channel.setdefault(str(call.params.get("channel")), []).append(call.time)
    gaps = sorted(b - a for ts in by_channel.values() for a, b in itertools.pairwise(sorted(ts)))
    firsts = [min(ts) for ts in by_channel.values()] or [0.0]
    return FakeReport(
        dict(found),
        [t for ts in by_channel.values() for t in ts],
        sum(1 for c in calls if c.status == 429),
        injected,
        tuple(gaps),
        max(firsts) - min(firsts),
    )


def _serve_fake(conn: Connection) -> None:
    """Child process: the fake Slack with the reps, the limit and the injector, until told
    to report (then it stops)."""
    fake = FakeSlack(team_id=TEAM).start()
    for rep in range(REPS):
        fake.add_user(seed.rep_id(rep))
    fake.rate_limit(PER_CHANNEL_PER_S, ("chat.postMessage",))
    injector = _Injector(fake)
    fake.state.subscribe(injector)
    conn.send((fake.api_url, fake.bot_token))
    conn.recv()
    conn.send(_report(fake, injector.injected))
    fake.stop()


class FakeProcess:
    def __init__(self) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._conn, theirs = spawn.Pipe()
        self._process = spawn.Process(target=_serve_fake, args=(theirs,), daemon=True)
        self._process.start()
        if not self._conn.poll(60):
            raise BenchFailure("the fake Slack did not start within 60 s")
        self.api_url, self.bot_token = self._conn.recv()

    def report(self) -> FakeReport:
        """What the fake saw; it stops after answering."""
        self._conn.send("report")
        if not self._conn.poll(120):
            raise BenchFailure("the fake Slack did not report within 120 s")
        report: FakeReport = self._conn.recv()
        self._process.join(10)
        return report

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(10)


# -- one run -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pass:
    """One Jobs.run('reminders')."""

    summary: str
    started_at: float  # epoch seconds
    elapsed: float


@dataclass(frozen=True)
class Outcome:
    label: str
    load: Load
    run: Pass
    fake: FakeReport

    @property
    def elapsed(self) -> float:
        return self.run.elapsed

    @property
    def planning(self) -> float:
        """From the start of the pass to its first post: time zones, planning, first claim."""
        first = min(self.fake.post_times, default=self.run.started_at + self.elapsed)
        return first - self.run.started_at

    @property
    def delivered(self) -> int:
        return len(self.fake.per_task)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.fake.per_task.values() if n > 1)

    @property
    def lost(self) -> int:
        return self.load.reminders - len(self.fake.per_task)

    @property
    def allowed_rate(self) -> float:
        return REPS * PER_CHANNEL_PER_S

    @property
    def rate(self) -> float:
        return self.delivered / self.elapsed if self.elapsed > 0 else 0.0


def run_pass(url: str, fake: FakeProcess) -> Pass:
    """One Jobs.run('reminders') as in production (web_client, Pacer(gap=1.0))."""
    ctx = Ctx(db=Database(url), catalog=load_catalog(None))
    try:
        settings = load_settings(slack_bot_token=fake.bot_token, slack_api_url=fake.api_url)
        client = web_client(settings)
        jobs = Jobs(ctx, client_for=lambda _team: client, pacer=Pacer(gap=1.0))
        started_at, started = time.time(), time.perf_counter()
        summary = jobs.run("reminders", NOW)
        return Pass(summary, started_at, time.perf_counter() - started)
    finally:
        ctx.db.dispose()


def run_once(backend: Backend, load: Load) -> Outcome:
    url = backend.database(seed_for(load))
    fake = FakeProcess()
    try:
        run = run_pass(url, fake)
        return Outcome(backend.label, load, run, fake.report())
    finally:
        fake.close()


# -- report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderComparison(Comparison):
    """Delivered (candidate: gaps between successive posts) beside what the fake allows
    (baseline: evenly spaced at the allowed rate). PASS at ≥ 90 % of the allowed rate
    with no duplicate and nothing lost."""

    duplicates: int = 0
    lost: int = 0

    @property
    def verdict(self) -> str:
        fast = self.throughput_ratio <= 1 / TARGET_SHARE
        return "PASS" if fast and not self.duplicates and not self.lost else "OVER"


def comparison(o: Outcome) -> ReminderComparison:
    times = sorted(o.fake.post_times)
    gaps = tuple(b - a for a, b in itertools.pairwise(times)) or (o.elapsed,)
    candidate = Summary(o.delivered, o.elapsed, gaps)
    ideal = 1 / o.allowed_rate
    baseline = Summary(o.delivered, o.delivered * ideal, (ideal,) * len(gaps))
    return ReminderComparison(NAME, o.label, 1, candidate, baseline, o.duplicates, o.lost)


_HEADER = (
    "database", "reminders", "delivered", "dups", "lost", "elapsed s", "msg/s", "fake allows",
    "share", "429s (injected)", "job summary", f"≥ {TARGET_SHARE:.0%}, 0 dup, 0 lost",
)  # fmt: skip
_WHERE = (
    "database", "planning s", "sending s", "first round s", "channel gap p50 s", "p90 s",
    "max s", "429s: injected / too fast",
)  # fmt: skip


def _cells(o: Outcome) -> tuple[str, ...]:
    return (
        o.label, f"{o.load.reminders:,}", f"{o.delivered:,}", str(o.duplicates), str(o.lost),
        f"{o.elapsed:.1f}", f"{o.rate:.0f}", f"{o.allowed_rate:.0f}/s",
        f"{o.rate / o.allowed_rate:.0%}", f"{o.fake.answered_429} ({o.fake.injected})", o.run.summary,
        comparison(o).verdict,
    )  # fmt: skip


def _where(o: Outcome) -> tuple[str, ...]:
    gaps = o.fake.channel_gaps or (0.0,)
    too_fast = o.fake.answered_429 - o.fake.injected
    return (
        o.label, f"{o.planning:.1f}", f"{o.elapsed - o.planning:.1f}", f"{o.fake.first_round:.2f}",
        f"{gaps[len(gaps) // 2]:.3f}", f"{gaps[int(len(gaps) * 0.9)]:.3f}", f"{gaps[-1]:.3f}",
        f"{o.fake.injected} / {too_fast}",
    )  # fmt: skip


def reminders_benchmark(plan: Plan) -> list[Comparison]:
    """The benchmark for `bench.run`: prints its tables, returns one row per database.
    Raises BenchFailure (after printing) if a reminder went out twice or not at all."""
    return run_all(plan, Load(reminders_for(plan)))


def run_all(plan: Plan, load: Load) -> list[Comparison]:
    print(
        f"-- {NAME}: {load.reminders:,} open note tasks due now over {REPS} reps (one DM "
        f"channel each), due {load.order}; fake limit {PER_CHANNEL_PER_S:g} post/s per channel, "
        f"one injected 429 per {INJECT_EVERY:,} posts; one Jobs.run('reminders'), Pacer(gap=1.0), "
        f"{SENDERS} sender threads",
        flush=True,
    )
    outcomes = [run_once(backend, load) for backend in plan.backends]
    print(render([_HEADER, *(_cells(o) for o in outcomes)]), end="\n\n")
    print(render([_WHERE, *(_where(o) for o in outcomes)]), end="\n\n", flush=True)
    broken = [o for o in outcomes if o.duplicates or o.lost]
    if broken:
        raise BenchFailure(
            "; ".join(f"{o.label}: {o.duplicates} duplicates, {o.lost} lost" for o in broken)
        )
    return [comparison(o) for o in outcomes]


# -- alone: python -m bench.reminders ------------------------------------------------------


def _shuffled(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shuffled", action="store_true", help="reminders due in random order")


def main(argv: Sequence[str] | None = None) -> int:
    return run_alone(
        "bench.reminders",
        lambda plan, args: run_all(plan, Load(reminders_for(plan), shuffled=args.shuffled)),
        argv,
        extra=_shuffled,
    )


if __name__ == "__main__":
    sys.exit(main())
