"""The delivery pass: claim due outbox rows, send them with no transaction open, mark them.

The calling thread claims rows in batches (with a lease), loads what each batch needs
in one read, and deals the rows out to sender threads by channel (bot.sending): one
post at a time per channel, at most one per second (bot.lanes), different channels at
once. It marks the outcomes in batches, each only after Slack answered.

A 429 holds its channel for Retry-After and re-queues the post (no thread sleeps);
5xx and timeouts are retried by the client's handlers, and what still fails stays due
with an exponential backoff; errors no retry can fix are recorded and not retried.
"""

import logging
import queue
import threading
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.lanes import Pacer
from bot.sending import Attempts, Job, Outcome, Posted, Prepare, Send, Sender, Values, posting
from perks.context import Ctx
from storage.repositories import outbox

log = logging.getLogger("perkbot.jobs")

LEASE = timedelta(minutes=5)
LEASE_MARGIN = timedelta(minutes=1)  # a claim older than LEASE - this is given back unsent
BATCH = 200  # rows per claim
WINDOW = 1_000  # claimed rows held at once (plus one batch)
LANE_CAP = 30  # rows held for one channel before claims skip it: ~30 s of its posts
SENDERS = 16
MARK_EVERY = 100  # outcomes per marking transaction...
MARK_DELAY = 0.25  # ...or seconds since the oldest unmarked one
IDLE_POLL = 0.25  # s: longest wait before looking at the marks and claims again
FEED_POLL = 0.05  # s: between claims while a planner is still adding rows

__all__ = ["LEASE", "Pacer", "Posted", "Prepare", "Send", "Tally", "deliver", "each", "posting"]


def each(send: Send) -> Prepare:
    """A kind that loads nothing ahead for its batch: the same sender for every row."""
    return lambda _batch: send


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def deliver(
    ctx: Ctx,
    client_for: Callable[[str], WebClient],
    prepares: dict[str, Prepare],
    *,
    now: datetime,
    pacer: Pacer | None = None,
    senders: int = SENDERS,
    feeding: Future[Any] | None = None,
) -> Tally:
    """Send every due delivery of the given kinds, once. `feeding`: a planner still adding
    due rows; the pass looks for them until it is done (and re-raises what it raised)."""
    return _Pass(ctx, client_for, prepares, now, feeding).drive(pacer or Pacer(), senders)


class _Pass:
    def __init__(
        self,
        ctx: Ctx,
        client_for: Callable[[str], WebClient],
        prepares: dict[str, Prepare],
        now: datetime,
        feeding: Future[Any] | None,
    ) -> None:
        self.ctx, self.client_for, self.prepares, self.feeding = ctx, client_for, prepares, feeding
        self.token, self.tally = uuid.uuid4().hex, Tally()
        self._now, self._started = now, time.monotonic()
        self._outcomes: queue.SimpleQueue[tuple[Job, Outcome]] = queue.SimpleQueue()
        self._held: Counter[str] = Counter()  # rows claimed and not yet settled, by channel
        self._more, self._claim_after = True, 0.0
        self._unmarked: list[Values] = []
        self._oldest_unmarked = 0.0

    def clock(self) -> datetime:
        """The pass's `now`, moving on as the pass runs (leases count from each claim)."""
        return self._now + timedelta(seconds=time.monotonic() - self._started)

    def drive(self, pacer: Pacer, senders: int) -> Tally:
        attempt = Attempts(self.client_for, self.clock, self._lease_left)
        report = lambda job, outcome: self._outcomes.put((job, outcome))  # noqa: E731
        shards = [Sender(pacer, attempt, report) for _ in range(senders)]
        threads = [
            threading.Thread(target=s.serve, name=f"perkbot-send-{i}", daemon=True)
            for i, s in enumerate(shards)
        ]
        for thread in threads:
            thread.start()
        finished = False
        try:
            while self._step(shards):
                pass
            finished = True
        finally:  # whatever went wrong, what Slack already answered gets marked
            for shard in shards:
                shard.close(abort=not finished)
            for thread in threads:
                thread.join()
            self._collect(0.0)
            self._mark(force=True)
        if self.feeding is not None:
            self.feeding.result()
        return self.tally

    def _step(self, shards: list[Sender]) -> bool:
        """Claim if short of work, then settle what the senders report for a moment.
        False once nothing is due, held or still being planned."""
        if self._more and self._held.total() < WINDOW and time.monotonic() >= self._claim_after:
            self._claim(shards)
        if not (self._held or self._more):
            return False
        self._collect(self._timeout())
        self._mark(force=not self._held)
        return True

    def _timeout(self) -> float:
        now = time.monotonic()
        wake = [now + IDLE_POLL]
        if self._more and self._held.total() < WINDOW:
            wake.append(self._claim_after)
        if self._unmarked:
            wake.append(self._oldest_unmarked + MARK_DELAY)
        return max(0.0, min(wake) - now)

    # -- claiming ----------------------------------------------------------------------

    def _claim(self, shards: list[Sender]) -> None:
        """Claim a batch (skipping crowded channels), load what it needs, deal it out."""
        fed = self.feeding is None or self.feeding.done()  # before the claim looks
        crowded = [target for target, n in self._held.items() if n >= LANE_CAP]
        at = self.clock()
        batch = self.ctx.db.run(
            lambda s: outbox.claim(
                session=s,
                now=at,
                lease=LEASE,
                token=self.token,
                kinds=tuple(self.prepares),
                limit=BATCH,
                skip_targets=crowded,
            )
        )
        # Rows for crowded channels, or still being planned, may remain: look again.
        self._more = len(batch) == BATCH or bool(crowded) or not fed
        self._claim_after = time.monotonic() + (
            0.0 if len(batch) == BATCH else IDLE_POLL if fed else FEED_POLL
        )
        dealt: dict[int, list[Job]] = {}
        for kind in dict.fromkeys(item.kind for item in batch):
            rows = [item for item in batch if item.kind == kind]
            send = self.prepares[kind](rows)
            for item in rows:
                shard = zlib.crc32(item.target.encode()) % len(shards)  # a channel stays put
                dealt.setdefault(shard, []).append(Job(item, send, at))
                self._held[item.target] += 1
        for shard, jobs in dealt.items():
            jobs.sort(key=lambda j: (j.item.next_attempt_at, j.item.id or 0))
            shards[shard].add(jobs)

    def _lease_left(self, job: Job) -> bool:
        return self.clock() < job.claimed_at + LEASE - LEASE_MARGIN

    # -- outcomes ----------------------------------------------------------------------

    def _collect(self, timeout: float) -> None:
        """Settle what the senders reported, waiting up to `timeout` for the first."""
        try:
            job, outcome = (
                self._outcomes.get(timeout=timeout) if timeout else self._outcomes.get_nowait()
            )
        except queue.Empty:
            return
        self._settle(job, outcome)
        while True:
            try:
                job, outcome = self._outcomes.get_nowait()
            except queue.Empty:
                return
            self._settle(job, outcome)

    def _settle(self, job: Job, outcome: Outcome) -> None:
        self._held[job.item.target] -= 1
        if not self._held[job.item.target]:
            del self._held[job.item.target]
        if not self._unmarked:
            self._oldest_unmarked = time.monotonic()
        self._unmarked.append({"id": job.item.id or 0, **outcome.values})
        if outcome.result == "given_back":
            log.warning("delivery %s: claim too old to post; given back, claimed anew", job.item.id)
            self._mark(force=True)  # before the next claim, which takes it again
            self._more, self._claim_after = True, 0.0
            return
        setattr(self.tally, outcome.result, getattr(self.tally, outcome.result) + 1)
        if outcome.result == "failed" and outcome.error:
            self.tally.errors.append(outcome.error)

    def _mark(self, *, force: bool) -> None:
        """Record the outcomes so far in one transaction (each only if still ours)."""
        due = len(self._unmarked) >= MARK_EVERY or (
            time.monotonic() - self._oldest_unmarked >= MARK_DELAY
        )
        if not self._unmarked or not (force or due):
            return
        outcomes, self._unmarked = self._unmarked, []
        recorded = self.ctx.db.run(
            lambda s: outbox.finish_many(session=s, token=self.token, outcomes=outcomes)
        )
        if recorded < len(outcomes):
            log.warning(
                "%d deliveries: lease lost before they were marked", len(outcomes) - recorded
            )
