"""The delivery pass: claim due outbox rows, send them with no transaction open, mark them.

One coordinating thread claims rows in batches (with a lease), loads what each batch
needs in one read, and hands posts to a few sender threads, one post at a time per
channel, paced at most one per second per channel (bot.lanes), so different channels
go at once. Outcomes are marked in batches, each only after Slack answered.

429s wait for Retry-After (slack_sdk's handler in the sender; if it gives up, the
channel is held for Retry-After and the post re-queued); 5xx and timeouts are retried
by the client's handlers, and what still fails stays due with an exponential backoff;
errors no retry can fix are recorded and not retried.
"""

import copy
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.error import URLError
from weakref import WeakKeyDictionary

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.lanes import Lanes, Pacer
from perks.context import Ctx
from storage.models import Delivery
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
MAX_HOLDS = 3  # 429s re-queued in one pass; then the row waits for a later pass
MAX_BACKOFF = timedelta(hours=6)
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "invalid_auth",
    "account_inactive",
    "user_not_found",
    "invalid_blocks",
    "is_archived",
    "user_disabled",
    "not_authed",
    "token_revoked",
    "msg_too_long",
}

Posted = tuple[str, str] | None  # (channel, ts) of what was posted; None: nothing to send now
Send = Callable[[WebClient, Delivery], Posted]
Prepare = Callable[[Sequence[Delivery]], Send]  # loads what a claimed batch needs → its sender
Values = dict[str, Any]

__all__ = ["LEASE", "Pacer", "Posted", "Prepare", "Send", "Tally", "deliver", "each"]


def each(send: Send) -> Prepare:
    """A kind that loads nothing ahead for its batch: the same sender for every row."""
    return lambda _batch: send


_posting_clients: WeakKeyDictionary[WebClient, WebClient] = WeakKeyDictionary()
_posting_lock = threading.Lock()


def posting(client: WebClient) -> WebClient:
    """The client minus slack_sdk's 429 handler, for a pass's own posts: a 429 comes back
    at once and the pass holds that channel for Retry-After and re-queues the post, so no
    sender thread sleeps (other channels go on). Other calls keep the handler."""
    with _posting_lock:
        quick = _posting_clients.get(client)
        if quick is None:
            quick = copy.copy(client)
            quick.retry_handlers = [
                h
                for h in client.retry_handlers or []
                if not isinstance(h, RateLimitErrorRetryHandler)
            ]
            _posting_clients[client] = quick
        return quick


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass
class Job:
    item: Delivery
    send: Send
    claimed_at: datetime  # on the pass's clock
    holds: int = 0


@dataclass(frozen=True)
class Outcome:
    result: str  # sent, skipped, retried, failed, held (429: re-queue)
    values: Values
    answered: float  # monotonic
    hold: float = 0.0  # s, a 429's Retry-After
    error: str | None = None


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
    with (
        ThreadPoolExecutor(senders, thread_name_prefix="perkbot-send") as pool,
        ThreadPoolExecutor(1, thread_name_prefix="perkbot-outbox") as books,
    ):
        threads = _Threads(pool, senders, books)
        run = _Pass(ctx, client_for, prepares, now, Lanes(pacer or Pacer()), feeding, threads)
        run.drive()
    return run.tally


@dataclass(frozen=True)
class _Threads:
    pool: ThreadPoolExecutor  # senders
    senders: int
    books: ThreadPoolExecutor  # one thread: claims and marks, in order


class _Pass:
    """The coordinating thread: it only schedules. Sender threads post; one bookkeeping
    thread claims and marks, so no lane waits on the database."""

    def __init__(
        self,
        ctx: Ctx,
        client_for: Callable[[str], WebClient],
        prepares: dict[str, Prepare],
        now: datetime,
        lanes: Lanes[Job],
        feeding: Future[Any] | None,
        threads: _Threads,
    ) -> None:
        self.ctx, self.client_for, self.prepares, self.lanes = ctx, client_for, prepares, lanes
        self.feeding, self._threads = feeding, threads
        self.token, self.tally = uuid.uuid4().hex, Tally()
        self._now, self._started = now, time.monotonic()
        self._flying: dict[Future[Outcome], tuple[str, Job]] = {}
        self._claiming: Future[tuple[list[Job], bool]] | None = None
        self._more, self._claim_after = True, 0.0
        self._given_back = False  # since the last claim was sent off: claim again
        self._unmarked: list[Values] = []
        self._oldest_unmarked = 0.0
        self._marking: list[Future[int]] = []

    def clock(self) -> datetime:
        """The pass's `now`, moving on as the pass runs (leases count from each claim)."""
        return self._now + timedelta(seconds=time.monotonic() - self._started)

    def drive(self) -> None:
        try:
            while self._step():
                pass
        finally:  # whatever went wrong, what Slack already answered gets marked
            for future, (target, job) in list(self._flying.items()):
                self._settle(target, job, future.result())
            self._mark(force=True)
            for marking in self._marking:
                marking.result()
        if self.feeding is not None:
            self.feeding.result()

    def _step(self) -> bool:
        """Claim if short of work, start what may go, wait a little, settle what came back.
        False once nothing is due, held, being claimed or in flight."""
        if self._claiming is None and self._wants_claim():
            fed = self.feeding is None or self.feeding.done()  # before the claim looks
            crowded, at = self.lanes.crowded(LANE_CAP), self.clock()
            self._claiming = self._threads.books.submit(self._claim, crowded, at, fed)
            self._given_back = False
        free = self._threads.senders - len(self._flying)
        for target, job in self.lanes.take_ready(time.monotonic(), free):
            if self._lease_short(job):
                self._give_back(target, job)
            else:
                self._flying[self._threads.pool.submit(self._attempt, job)] = (target, job)
        if not (self._flying or self.lanes.held or self._more or self._claiming):
            return False
        self._mark(force=not self._flying and not self.lanes.held)
        for future in self._wait(self._threads.senders - len(self._flying)):
            if future is self._claiming:
                self._claimed(*self._claiming.result())
            elif future is self.feeding:
                self._claim_after = 0.0  # all planned: claim what is left now
            else:
                target, job = self._flying.pop(future)  # type: ignore[arg-type]
                self._settle(target, job, future.result())  # type: ignore[arg-type]
        return True

    def _wants_claim(self) -> bool:
        return self._more and self.lanes.held < WINDOW and time.monotonic() >= self._claim_after

    def _wait(self, free: int) -> set[Future[Any]]:
        """Until a post or a claim comes back, a lane may go, or a claim or marks are due."""
        now = time.monotonic()
        wake = [now + IDLE_POLL]
        if self._claiming is None and self._more and self.lanes.held < WINDOW:
            wake.append(self._claim_after)
        if free and (at := self.lanes.next_at()) is not None:
            wake.append(at)
        if self._unmarked:
            wake.append(self._oldest_unmarked + MARK_DELAY)
        timeout = max(0.0, min(wake) - now)
        waiting: set[Future[Any]] = set(self._flying)
        if self._claiming is not None:
            waiting.add(self._claiming)
        if self.feeding is not None and not self.feeding.done():
            waiting.add(self.feeding)
        if not waiting:
            time.sleep(timeout)
            return set()
        return wait(waiting, timeout=timeout, return_when=FIRST_COMPLETED).done

    # -- claiming (bookkeeping thread, then coordinator) -------------------------------

    def _claim(self, crowded: list[str], at: datetime, fed: bool) -> tuple[list[Job], bool]:
        """Claim a batch (skipping crowded channels) and load what it needs; and whether
        more may be due (`fed`: the planner, if any, had finished before this claim)."""
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
        jobs = []
        for kind in dict.fromkeys(item.kind for item in batch):
            rows = [item for item in batch if item.kind == kind]
            send = self.prepares[kind](rows)
            jobs += [Job(item, send, at) for item in rows]
        # Rows for crowded channels, or still being planned, may remain: look again.
        return jobs, len(batch) == BATCH or bool(crowded) or not fed

    def _claimed(self, jobs: list[Job], more: bool) -> None:
        self._claiming, self._more = None, more or self._given_back
        self._claim_after = 0.0 if len(jobs) == BATCH else time.monotonic() + IDLE_POLL
        for job in sorted(jobs, key=lambda j: (j.item.next_attempt_at, j.item.id or 0)):
            self.lanes.add(job.item.target, job)

    def _lease_short(self, job: Job) -> bool:
        return self.clock() >= job.claimed_at + LEASE - LEASE_MARGIN

    def _give_back(self, target: str, job: Job) -> None:
        """Too late to post under this claim: the row goes back to due, untouched."""
        log.warning("delivery %s: claim too old to post; given back and claimed anew", job.item.id)
        self.lanes.done(target, None)
        self._unmark(job, {"status": outbox.DUE})
        self._mark(force=True)  # before the next claim (same thread, in order), which takes it
        self._more, self._given_back, self._claim_after = True, True, 0.0

    # -- sending (sender threads) ------------------------------------------------------

    def _attempt(self, job: Job) -> Outcome:
        item, attempts = job.item, job.item.attempts + 1
        try:
            posted = job.send(self.client_for(item.team_id), item)
        except SlackApiError as exc:
            return self._failure(job, exc, attempts)
        except (URLError, OSError, TimeoutError) as exc:
            return _retry(item, attempts, type(exc).__name__, self.clock())
        except Exception as exc:  # a bug in one delivery must not stop the others
            log.exception("delivery %s (%s) raised", item.id, item.kind)
            return _retry(item, attempts, type(exc).__name__, self.clock())
        values: Values = {"status": outbox.SENT, "attempts": attempts, "sent_at": self.clock()}
        if posted is None:
            return Outcome("skipped", values, time.monotonic())
        return Outcome("sent", {**values, "channel": posted[0], "ts": posted[1]}, time.monotonic())

    def _failure(self, job: Job, exc: SlackApiError, attempts: int) -> Outcome:
        item, response = job.item, exc.response
        code = str(response.get("error") or f"http_{response.status_code}")
        if response.status_code == 429 and job.holds < MAX_HOLDS:
            return Outcome("held", {}, time.monotonic(), _retry_after(response.headers), code)
        if code in PERMANENT:
            log.error("delivery %s (%s) failed for good: %s", item.id, item.kind, code)
            values = {"status": outbox.FAILED, "attempts": attempts, "last_error": code}
            return Outcome("failed", values, time.monotonic(), error=code)
        return _retry(item, attempts, code, self.clock())

    # -- outcomes (coordinator, then bookkeeping thread) -------------------------------

    def _settle(self, target: str, job: Job, outcome: Outcome) -> None:
        if outcome.result == "held":
            job.holds += 1
            log.info(
                "delivery %s: %s; channel held %.0f s", job.item.id, outcome.error, outcome.hold
            )
            self.lanes.done(target, outcome.answered, outcome.hold, again=job)
            return
        self.lanes.done(target, outcome.answered)
        setattr(self.tally, outcome.result, getattr(self.tally, outcome.result) + 1)
        if outcome.result == "failed" and outcome.error:
            self.tally.errors.append(outcome.error)
        self._unmark(job, outcome.values)

    def _unmark(self, job: Job, values: Values) -> None:
        if not self._unmarked:
            self._oldest_unmarked = time.monotonic()
        self._unmarked.append({"id": job.item.id or 0, **values})

    def _mark(self, *, force: bool) -> None:
        """Hand the outcomes so far to the bookkeeping thread: one transaction."""
        due = len(self._unmarked) >= MARK_EVERY or (
            time.monotonic() - self._oldest_unmarked >= MARK_DELAY
        )
        if self._unmarked and (force or due):
            self._marking.append(self._threads.books.submit(self._record, self._unmarked))
            self._unmarked = []

    def _record(self, outcomes: list[Values]) -> int:
        recorded = self.ctx.db.run(
            lambda s: outbox.finish_many(session=s, token=self.token, outcomes=outcomes)
        )
        if recorded < len(outcomes):
            log.warning(
                "%d deliveries: lease lost before they were marked", len(outcomes) - recorded
            )
        return recorded


def _retry(item: Delivery, attempts: int, error: str, now: datetime) -> Outcome:
    log.warning(
        "delivery %s (%s) will be retried: %s (attempt %d)", item.id, item.kind, error, attempts
    )
    values = {
        "status": outbox.DUE,
        "attempts": attempts,
        "last_error": error[:200],
        "next_attempt_at": now + backoff(attempts),
    }
    return Outcome("retried", values, time.monotonic(), error=error)


def _retry_after(headers: Any) -> float:
    """Seconds from a 429's Retry-After header (1 if absent or unreadable)."""
    value = (headers or {}).get("retry-after") or (headers or {}).get("Retry-After")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(1.0, float(value))
    except (TypeError, ValueError):
        return 1.0
