"""One first-come-first-served write lock per SQLite file, shared by a process.

SQLite serialises writers anyway; queueing them in the process, in order, keeps
waits fair and short instead of leaving them to the busy handler's back-off.
Other processes still rely on BEGIN IMMEDIATE and the busy timeout.
"""

import os
import threading
from collections import deque

from sqlalchemy.engine import make_url


def sqlite_file(url: str) -> str | None:
    database = make_url(url).database
    return None if database in (None, "", ":memory:") else database


class FairLock:
    """A re-entrant lock handed to waiters in the order they asked for it.

    `acquire` gives up after `timeout` seconds and returns False; the caller then
    goes on without it (SQLite's own locking still keeps the data safe).
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self, timeout: float) -> bool:
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
                return True
            if self._owner is None:
                self._owner, self._depth = me, 1
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if not turn.acquire(timeout=timeout):
            with self._mutex:
                if turn in self._waiters:  # still queued: leave the queue
                    self._waiters.remove(turn)
                    return False
            # Handed over just as the wait ran out: the lock is ours after all.
        with self._mutex:
            self._owner, self._depth = me, 1
        return True

    def release(self) -> None:
        with self._mutex:
            self._depth -= 1
            if self._depth:
                return
            self._owner = None
            if self._waiters:
                self._owner = -1  # reserved for the next in line until it wakes up
                self._waiters.popleft().release()


_sqlite_write_locks: dict[str, FairLock] = {}
_registry_mutex = threading.Lock()


def sqlite_write_lock(url: str) -> FairLock:
    """One lock per database file, shared by every `Database` of this process."""
    file = sqlite_file(url)
    key = os.path.realpath(file) if file else url
    with _registry_mutex:
        return _sqlite_write_locks.setdefault(key, FairLock())
