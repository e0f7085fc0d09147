"""Sender threads of the delivery pass (bot.delivery) and what one attempt comes to.

Each sender owns a fixed share of the channels (lanes): it posts to one of them as
soon as its pacer allows, and schedules that channel's next post itself when Slack
answers, so no other thread sits between a channel being ready and its post.
"""

import copy
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.error import URLError
from weakref import WeakKeyDictionary

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.lanes import Lanes, Pacer
from storage.models import Delivery
from storage.repositories import outbox

log = logging.getLogger("perkbot.jobs")

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


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


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
class Job:
    item: Delivery
    send: Send
    claimed_at: datetime  # on the pass's clock
    holds: int = 0


@dataclass(frozen=True)
class Outcome:
    result: str  # sent, skipped, retried, failed; held (429: re-queued), given_back
    values: Values
    answered: float | None  # monotonic; None: nothing was sent
    hold: float = 0.0  # s, a 429's Retry-After
    error: str | None = None


class Attempts:
    """One try at one delivery, turned into an Outcome (no database here)."""

    def __init__(
        self,
        client_for: Callable[[str], WebClient],
        clock: Callable[[], datetime],
        lease_left: Callable[[Job], bool],
    ) -> None:
        self.client_for, self.clock, self.lease_left = client_for, clock, lease_left

    def __call__(self, job: Job) -> Outcome:
        item, attempts = job.item, job.item.attempts + 1
        if not self.lease_left(job):  # too late to post under this claim
            return Outcome("given_back", {"status": outbox.DUE}, None)
        try:
            posted = job.send(self.client_for(item.team_id), item)
        except SlackApiError as exc:
            return self._failure(job, exc, attempts)
        except (URLError, OSError, TimeoutError) as exc:
            return self._retry(item, attempts, type(exc).__name__)
        except Exception as exc:  # a bug in one delivery must not stop the others
            log.exception("delivery %s (%s) raised", item.id, item.kind)
            return self._retry(item, attempts, type(exc).__name__)
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
        return self._retry(item, attempts, code)

    def _retry(self, item: Delivery, attempts: int, error: str) -> Outcome:
        log.warning(
            "delivery %s (%s) will be retried: %s (attempt %d)", item.id, item.kind, error, attempts
        )
        values = {
            "status": outbox.DUE,
            "attempts": attempts,
            "last_error": error[:200],
            "next_attempt_at": self.clock() + backoff(attempts),
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


class Sender:
    """One sender thread's lanes: it posts whichever of its channels may go next."""

    def __init__(
        self, pacer: Pacer, attempt: Attempts, report: Callable[[Job, Outcome], None]
    ) -> None:
        self.lanes: Lanes[Job] = Lanes(pacer)
        self.attempt, self.report = attempt, report
        self._cv = threading.Condition()
        self._closing = self._aborting = False

    def add(self, jobs: list[Job]) -> None:
        with self._cv:
            for job in jobs:
                self.lanes.add(job.item.target, job)
            self._cv.notify()

    def close(self, *, abort: bool = False) -> None:
        """Stop once its lanes are empty (abort: after the post in flight)."""
        with self._cv:
            self._closing, self._aborting = True, self._aborting or abort
            self._cv.notify()

    def serve(self) -> None:
        while (taken := self._next()) is not None:
            target, job = taken
            outcome = self.attempt(job)
            with self._cv:
                if outcome.result == "held":
                    job.holds += 1
                    log.info("delivery %s: %s; channel held", job.item.id, outcome.error)
                    self.lanes.done(target, outcome.answered, outcome.hold, again=job)
                    continue
                self.lanes.done(target, outcome.answered)
            self.report(job, outcome)

    def _next(self) -> tuple[str, Job] | None:
        with self._cv:
            while not self._aborting:
                if taken := self.lanes.take_ready(time.monotonic(), 1):
                    return taken[0]
                if self._closing and not self.lanes.held:
                    return None
                at = self.lanes.next_at()
                self._cv.wait(None if at is None else max(0.0, at - time.monotonic()))
            return None
