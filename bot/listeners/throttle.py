"""At most one run per key and gap: the first request runs at once, the ones that come
during the gap fold into a single run at its end.

App Home is rebuilt after every change that affects someone. A manager approving
thirty perks a minute needs their Home to end up right, not rebuilt thirty times:
each rebuild costs a few database queries and a `views.publish`.
"""

import logging
import threading
import time
from collections.abc import Callable, Hashable

log = logging.getLogger("perkbot")

PRUNE_AT = 10_000  # keys remembered before the ones outside their gap are dropped


class Throttle:
    def __init__(self, gap: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.gap, self._clock = gap, clock
        self._lock = threading.Lock()
        self._started: dict[Hashable, float] = {}  # key → when its last run started
        self._waiting: set[Hashable] = set()  # keys with a run due at the end of their gap

    def request(self, key: Hashable, run: Callable[[], None]) -> None:
        """Run `run` now, or once at the end of `key`'s gap (a later request's `run`
        then is not called: the one due reads the state as of when it runs)."""
        with self._lock:
            if key in self._waiting:
                return
            delay = self._started.get(key, float("-inf")) + self.gap - self._clock()
            if delay <= 0:
                self._start(key)
            else:
                self._waiting.add(key)
        if delay <= 0:
            run()
            return
        timer = threading.Timer(delay, self._later, (key, run))
        timer.daemon = True
        timer.start()

    def _later(self, key: Hashable, run: Callable[[], None]) -> None:
        with self._lock:
            self._waiting.discard(key)
            self._start(key)
        try:
            run()
        except Exception:  # no caller left to tell; the next change refreshes again
            log.exception("deferred refresh failed")

    def _start(self, key: Hashable) -> None:
        """Called with the lock held: `key` runs now."""
        now = self._clock()
        if len(self._started) >= PRUNE_AT:
            old = [k for k, at in self._started.items() if now - at >= self.gap]
            for k in old:
                del self._started[k]
        self._started[key] = now
