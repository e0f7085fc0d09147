"""One lock over the whole fake workspace, an ordered log of every change, and waits on it.

Tests `wait_for` a condition instead of sleeping; a page `subscribe`s or long-polls
`events_after` for live updates. Listeners run after the lock is released.
"""

import copy
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from bot.fakeslack.clock import Clock
from bot.fakeslack.records import Event

T = TypeVar("T")
Listener = Callable[[Event], None]
logger = logging.getLogger(__name__)


class EventLog:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._cond = threading.Condition(threading.RLock())
        self._depth = 0
        self._pending: list[Event] = []
        self._listeners: list[Listener] = []
        self._log: list[Event] = []

    @contextmanager
    def mutating(self) -> Iterator[None]:
        """Hold the lock for a change; listeners hear about it after the lock is released."""
        with self._cond:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                out: list[Event] = []
                if self._depth == 0 and self._pending:
                    out, self._pending = self._pending, []
                    self._cond.notify_all()
        for event in out:
            for listener in list(self._listeners):
                try:
                    listener(event)
                except Exception:  # a broken page hook must not fail the app's API call
                    logger.exception("fake Slack listener failed on %s", event.kind)

    def emit(self, kind: str, **data: Any) -> None:
        event = Event(len(self._log) + 1, kind, self.clock(), copy.deepcopy(data))
        self._log.append(event)
        self._pending.append(event)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` after every change (outside the lock); returns an unsubscribe."""
        with self._cond:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._cond:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Wait until `predicate()` is truthy (checked under the lock after each change)."""
        with self._cond:
            result = self._cond.wait_for(predicate, timeout)
            if not result:
                recent = ", ".join(e.kind for e in self._log[-8:]) or "none"
                raise TimeoutError(f"condition not met within {timeout}s; recent events: {recent}")
            return result

    def events(self, since: int = 0) -> list[Event]:
        with self._cond:
            return self._log[since:]

    def events_after(self, seq: int, timeout: float) -> list[Event]:
        """Long-poll: events with a sequence number above `seq`, waiting up to `timeout`."""
        with self._cond:
            self._cond.wait_for(lambda: len(self._log) > seq, timeout)
            return self._log[seq:]
