"""Exactly once under races, crashes and Slack failures (RELIABILITY 13-16, 30-31)."""

import itertools
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from bot.delivery import LEASE, Pacer
from storage.repositories import outbox
from tests.jobs.conftest import Env
from tests.jobs.test_reminders import at, note_for, reminders

ROOT = Path(__file__).resolve().parents[2]
DUE = at("2026-11-18T10:00")


def make_notes(env: Env, n: int) -> None:
    for i in range(n):
        note_for(env, at("2026-11-16T09:00"), customer=f"Customer {i}")


def test_two_threads_running_the_same_pass_send_each_reminder_once(env: Env) -> None:
    make_notes(env, 12)
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        env.run("reminders", DUE)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(reminders(env)) == 12
    texts = [str(m.blocks) for m in reminders(env)]
    assert len(set(texts)) == 12  # no customer reminded twice


def test_two_processes_running_the_same_pass_send_each_reminder_once(env: Env, db_url: str) -> None:
    make_notes(env, 12)
    cmd = [
        sys.executable,
        "-m",
        "bot.cli",
        "jobs",
        "run",
        "reminders",
        "--now",
        "2026-11-18T10:00:00Z",
    ]
    environ = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": env.fake.bot_token,
        "SLACK_API_URL": env.fake.api_url,
    }
    procs = [
        subprocess.Popen(
            cmd, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert len(reminders(env)) == 12
    assert len({str(m.blocks) for m in reminders(env)}) == 12
    again = subprocess.run(cmd, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "sent 0" in again.stdout
    assert len(reminders(env)) == 12


def test_a_crashed_claim_is_delivered_once_after_its_lease(env: Env) -> None:
    from perks.planning import plan_reminders

    note_for(env, at("2026-11-16T09:00"))
    plan_reminders(env.ctx, DUE)
    claimed = env.ctx.db.run(
        lambda s: outbox.claim(
            session=s, now=DUE, lease=LEASE, token="crashed", kinds=("note_reminder",), limit=10
        )
    )
    assert len(claimed) == 1  # ...and then the process died before posting
    env.run("reminders", DUE + timedelta(minutes=1))
    assert reminders(env) == []  # still leased: never resent before the lease runs out
    env.run("reminders", DUE + LEASE + timedelta(seconds=1))
    env.run("reminders", DUE + LEASE + timedelta(minutes=2))
    assert len(reminders(env)) == 1


def test_429_waits_for_retry_after_then_delivers_once(env: Env) -> None:
    note_for(env, at("2026-11-16T09:00"))
    env.fake.fail_next("chat.postMessage", 429, retry_after=1)
    env.run("reminders", DUE)
    assert len(reminders(env)) == 1
    assert len(env.fake.calls("chat.postMessage")) == 2
    row = env.ctx.db.run(
        lambda s: outbox.claim(
            session=s,
            now=DUE + timedelta(days=9),
            lease=LEASE,
            token="t",
            kinds=("note_reminder",),
            limit=10,
        )
    )
    assert row == []  # marked sent, nothing left to claim


def test_persistent_5xx_stays_due_with_backoff_and_a_later_pass_delivers(env: Env) -> None:
    note_for(env, at("2026-11-16T09:00"))
    env.fake.fail_next("chat.postMessage", 500, times=3)  # the first try and both retries
    summary = env.run("reminders", DUE)
    assert "retry later 1" in summary and reminders(env) == []
    env.run("reminders", DUE + timedelta(seconds=30))  # before the backoff: nothing
    assert reminders(env) == []
    env.run("reminders", DUE + timedelta(minutes=2))
    env.run("reminders", DUE + timedelta(minutes=3))
    assert len(reminders(env)) == 1


def test_errors_no_retry_can_fix_are_recorded_not_retried(env: Env) -> None:
    note_for(env, at("2026-11-16T09:00"))
    env.fake.fail_next("chat.postMessage", error="user_not_found")
    summary = env.run("reminders", DUE)
    assert "failed 1" in summary
    calls = len(env.fake.calls("chat.postMessage"))
    env.run("reminders", DUE + timedelta(hours=7))
    assert len(env.fake.calls("chat.postMessage")) == calls == 1
    from perks.digest import build_digest

    digest = build_digest(env.ctx, "T0001", now=DUE + timedelta(days=6))
    assert any("user_not_found" in p for p in digest.problems)


def test_posts_to_one_channel_are_paced_one_per_second(env: Env) -> None:
    make_notes(env, 3)  # three reminders to one rep's DM
    env.jobs.pacer = Pacer(gap=1.0)
    env.run("reminders", DUE)
    times = sorted(c.time for c in env.fake.calls("chat.postMessage"))
    assert len(times) == 3
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))
