"""Clocks for the fake Slack: the real one, and a manual one tests and the sandbox can move."""

import threading
import time
from collections.abc import Callable

Clock = Callable[[], float]  # seconds since the epoch, like time.time


def system_clock() -> float:
    return time.time()


class ManualClock:
    """A clock that only moves when told to, so expiry rules are tested without sleeping."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, now: float) -> None:
        with self._lock:
            self._now = now
