"""The delivery pass posts to several channels at once and still paces each one
(RELIABILITY 16), holds only the channel a 429 hit, never calls Slack with a
transaction open in the calling thread (17), and never posts under a claim whose
lease is about to run out (31)."""

import itertools
import logging
import threading
import time
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import event
from sqlmodel import Session

import bot.delivery
from bot.delivery import Pacer
from bot.fakeslack.records import Call
from bot.jobs import Jobs
from perks.events import EventForm, log_event
from perks.kinds import EventKind
from tests.conftest import actor
from tests.jobs.conftest import Env
from tests.jobs.test_reminders import at

DUE = at("2026-11-18T10:00")
REPS = ("UREP0001", "UREP0002", "UREP0003", "UREP0004")


def notes_for_reps(env: Env, per_rep: int, reps: tuple[str, ...] = REPS) -> None:
    for rep in reps:
        if rep not in env.fake.state.users:
            env.fake.add_user(rep)
        for i in range(per_rep):
            form = EventForm(
                customer=f"{rep} customer {i}", kind=EventKind.NEW_BABY, just_a_note=True
            )
            log_event(env.ctx, actor(rep), form, now=at("2026-11-16T09:00"))


def posts_by_channel(env: Env) -> dict[str, list[Call]]:
    by: dict[str, list[Call]] = defaultdict(list)
    for call in env.fake.calls("chat.postMessage"):
        by[str(call.params.get("channel"))].append(call)
    return by


def test_concurrent_senders_never_post_to_one_channel_under_a_second_apart(env: Env) -> None:
    notes_for_reps(env, 3)  # 12 reminders, 3 to each of 4 DMs
    env.fake.rate_limit(1.0)  # Slack's one post per second per channel, enforced
    env.jobs.pacer = Pacer(gap=1.0)
    started = time.monotonic()
    summary = env.run("reminders", DUE)
    elapsed = time.monotonic() - started
    assert "sent 12," in summary
    by = posts_by_channel(env)
    assert sorted(by) == sorted(REPS)
    assert all(c.ok for calls in by.values() for c in calls)  # no 429: never too fast
    for calls in by.values():
        times = sorted(c.time for c in calls)
        assert len(times) == 3
        assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))
    firsts = [min(c.time for c in calls) for calls in by.values()]
    assert max(firsts) - min(firsts) < 0.5  # the four channels went side by side...
    assert elapsed < 6  # ...so ~2 s in all, where one post at a time takes 11 s or more


def test_a_429_on_one_channel_does_not_stall_the_others(env: Env) -> None:
    notes_for_reps(env, 2)  # 8 reminders, 2 to each of 4 DMs
    env.jobs.pacer = Pacer(gap=1.0)
    env.fake.fail_next("chat.postMessage", 429, retry_after=3)
    summary = env.run("reminders", DUE)
    assert "sent 8," in summary
    calls = env.fake.calls("chat.postMessage")
    limited = next(c for c in calls if c.status == 429)
    held = str(limited.params.get("channel"))
    by = posts_by_channel(env)
    retried = sorted(c.time for c in by.pop(held) if c.ok)
    others = [c.time for rest in by.values() for c in rest]
    assert len(calls) == 9 and len(retried) == 2 and len(others) == 6
    assert all(c.ok for rest in by.values() for c in rest)
    assert retried[0] - limited.time >= 2.9  # Retry-After honoured for that channel...
    assert max(others) < retried[0]  # ...while every other channel went on
    assert len({str(m.blocks) for rep in REPS for m in env.dms(rep)}) == 8  # each once


class OpenTransactions:
    """Counts the database transactions open in each thread (engine events)."""

    def __init__(self, engine: Any) -> None:
        self.local = threading.local()
        event.listen(engine, "begin", lambda _conn: self._add(1))
        event.listen(engine, "commit", lambda _conn: self._add(-1))
        event.listen(engine, "rollback", lambda _conn: self._add(-1))

    def _add(self, n: int) -> None:
        self.local.open = self.here() + n

    def here(self) -> int:
        return int(getattr(self.local, "open", 0))


def test_no_transaction_is_open_in_the_thread_that_calls_slack(env: Env) -> None:
    watch = OpenTransactions(env.ctx.db.engine)

    def inside(session: Session) -> int:
        session.connection()  # the transaction begins
        return watch.here()

    assert env.ctx.db.run(inside) == 1  # the watch sees transactions
    seen: list[tuple[str, int]] = []

    class WatchedClient(WebClient):
        def api_call(self, *args: Any, **kwargs: Any) -> Any:
            seen.append((threading.current_thread().name, watch.here()))
            return super().api_call(*args, **kwargs)

    client = WatchedClient(token=env.fake.bot_token, base_url=env.fake.api_url)
    jobs = Jobs(env.ctx, client_for=lambda _team: client, pacer=Pacer(gap=0.0))
    notes_for_reps(env, 3)
    assert "sent 12," in jobs.run("reminders", DUE)
    posts = [open_ for thread, open_ in seen if thread.startswith("perkbot-send")]
    assert len(posts) == 12
    assert all(open_ == 0 for _thread, open_ in seen)


def test_a_claim_too_old_to_post_under_is_given_back_and_delivered_once(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A 2 s lease that may only be posted under for its first 0.5 s: the second and
    # third reminder to one DM wait longer than that for their turn.
    monkeypatch.setattr(bot.delivery, "LEASE", timedelta(seconds=2))
    monkeypatch.setattr(bot.delivery, "LEASE_MARGIN", timedelta(seconds=1.5))
    notes_for_reps(env, 3, reps=REPS[:1])
    env.jobs.pacer = Pacer(gap=1.0)
    with caplog.at_level(logging.WARNING, logger="perkbot.jobs"):
        summary = env.run("reminders", DUE)
    assert "sent 3," in summary
    assert any("claim too old to post" in r.getMessage() for r in caplog.records)
    messages = env.dms(REPS[0])
    assert len(messages) == 3 and len({str(m.blocks) for m in messages}) == 3
    times = sorted(c.time for c in env.fake.calls("chat.postMessage"))
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))
