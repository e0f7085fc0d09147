"""Per-channel lanes for the delivery pass.

Different channels are posted to at once; one channel (or person) gets one post at a
time, the next no sooner than `gap` seconds after Slack answered the last one (Slack
counts from when it received that post, which is earlier), or after a 429's Retry-After.
"""

import heapq
import itertools
import threading
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")
BUSY_POLL = 0.05  # s: a channel another pass of this process is posting to, looked at again


class Pacer:
    """When each channel may be posted to next; shared by the passes of one process."""

    def __init__(self, gap: float = 1.0) -> None:
        self.gap = gap
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._busy: set[str] = set()

    def start(self, target: str, now: float) -> float | None:
        """None: post to `target` now (it is busy until `answered`); else when to ask again."""
        with self._lock:
            if target in self._busy:
                return now + BUSY_POLL
            ready = self._next.get(target, now)
            if ready > now:
                return ready
            self._busy.add(target)
            return None

    def answered(self, target: str, at: float, hold: float = 0.0) -> None:
        """Slack answered the post to `target` at `at` (monotonic); `hold`: its Retry-After."""
        with self._lock:
            self._busy.discard(target)
            self._next[target] = at + max(self.gap, hold)

    def release(self, target: str) -> None:
        """Nothing was posted to `target` after `start` after all."""
        with self._lock:
            self._busy.discard(target)


class Lanes(Generic[T]):
    """Claimed work in one FIFO lane per channel; used by the pass's coordinating thread."""

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer
        self.held = 0  # jobs in the lanes, in flight included
        self._queues: dict[str, deque[T]] = {}
        self._timer: list[tuple[float, int, str]] = []  # (ready at, seq, lane), idle lanes only
        self._timed: set[str] = set()  # lanes in the timer
        self._flying: set[str] = set()  # lanes with a post in flight
        self._seq = itertools.count()

    def add(self, target: str, job: T) -> None:
        self._queues.setdefault(target, deque()).append(job)
        self.held += 1
        self._wake(target)

    def take_ready(self, now: float, limit: int) -> list[tuple[str, T]]:
        """Up to `limit` (lane, job) pairs whose lane may post now; each lane is then busy."""
        taken: list[tuple[str, T]] = []
        while self._timer and self._timer[0][0] <= now and len(taken) < limit:
            _at, _seq, target = heapq.heappop(self._timer)
            self._timed.discard(target)
            later = self.pacer.start(target, now)
            if later is not None:
                self._wake(target, later)
                continue
            self._flying.add(target)
            taken.append((target, self._queues[target].popleft()))
        return taken

    def done(
        self, target: str, at: float | None, hold: float = 0.0, again: T | None = None
    ) -> None:
        """The lane's post was answered at `at` (None: nothing was posted); `again`: the
        job goes back to the head of its lane."""
        self._flying.discard(target)
        if at is None:
            self.pacer.release(target)
        else:
            self.pacer.answered(target, at, hold)
        queue = self._queues[target]
        if again is not None:
            queue.appendleft(again)
        else:
            self.held -= 1
        if queue:
            self._wake(target)  # the pacer says when
        else:
            del self._queues[target]

    def next_at(self) -> float | None:
        return self._timer[0][0] if self._timer else None

    def crowded(self, cap: int) -> list[str]:
        """Lanes holding `cap` jobs or more: claiming more for them would only wait."""
        return [target for target, queue in self._queues.items() if len(queue) >= cap]

    def _wake(self, target: str, at: float = float("-inf")) -> None:
        if target not in self._flying and target not in self._timed:
            self._timed.add(target)
            heapq.heappush(self._timer, (at, next(self._seq), target))
