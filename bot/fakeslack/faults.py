"""Ways the fake Slack can misbehave on purpose: errors, 429s, 5xx, dropped connections,
slow answers, and Slack's per-channel posting limit. Each queued fault is used once, in order.
"""

import math
import threading
from collections import deque
from dataclasses import dataclass

DEFAULT_RATE_LIMITED = ("chat.postMessage",)


@dataclass
class Fault:
    method: str | None  # None: whichever method is called next
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    drop: bool = False  # close the connection without an answer

    def body(self) -> dict[str, object]:
        return {"ok": False, "error": self.error or "internal_error"}


@dataclass
class Delay:
    method: str | None
    seconds: float
    remaining: int | None  # None: until cleared


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._delays: list[Delay] = []
        self._per_second: float | None = None
        self._rate_methods: tuple[str, ...] = DEFAULT_RATE_LIMITED
        self._posts: dict[tuple[str, str], deque[float]] = {}

    def fail_next(
        self,
        method: str | None,
        status: int | None = None,
        *,
        error: str | None = None,
        retry_after: int | None = None,
        drop: bool = False,
        times: int = 1,
    ) -> None:
        """Queue failures: 429 (with Retry-After, default 1 s), a 5xx, or an ok:false error."""
        if status is None:
            status = 200 if error else 500
        if status == 429:
            retry_after = 1 if retry_after is None else retry_after
            error = error or "ratelimited"
        with self._lock:
            for _ in range(times):
                self._faults.append(Fault(method, status, error, retry_after, drop))

    def delay(self, method: str | None, seconds: float, *, times: int | None = None) -> None:
        """Answer `method` (or every method, for None) `seconds` late; 0 removes the delay."""
        with self._lock:
            self._delays = [d for d in self._delays if d.method != method]
            if seconds > 0:
                self._delays.append(Delay(method, seconds, times))

    def rate_limit(
        self, per_second: float | None, methods: tuple[str, ...] = DEFAULT_RATE_LIMITED
    ) -> None:
        """Slack's "about one message per second per channel"; None turns it off."""
        with self._lock:
            self._per_second, self._rate_methods = per_second, methods
            self._posts.clear()

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._delays.clear()
            self._per_second = None
            self._posts.clear()

    def take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self._faults):
                if fault.method in (None, method):
                    return self._faults.pop(i)
            return None

    def take_delay(self, method: str) -> float:
        with self._lock:
            for i, delay in enumerate(self._delays):
                if delay.method in (None, method):
                    if delay.remaining is not None:
                        delay.remaining -= 1
                        if delay.remaining <= 0:
                            del self._delays[i]
                    return delay.seconds
            return 0.0

    def check_rate(self, method: str, team_id: str, channel: str, now: float) -> int | None:
        """None if the post may go ahead (and counts it), else the Retry-After in seconds."""
        with self._lock:
            if self._per_second is None or method not in self._rate_methods or not channel:
                return None
            window = self._posts.setdefault((team_id, channel), deque())
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= self._per_second:
                return max(1, math.ceil(window[0] + 1.0 - now))
            window.append(now)
            return None
