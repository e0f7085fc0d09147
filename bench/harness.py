"""Run one operation many times on N threads and time each call."""

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace

from bench.stats import Summary

Operation = Callable[[int], None]
# Called once per thread with the thread's index; yields that thread's operation
# (so a thread can own its connection, its rep, its customer) and cleans up after.
WorkerFactory = Callable[[int], AbstractContextManager[Operation]]


@dataclass
class _Shared:
    barrier: threading.Barrier
    latencies: list[float] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def measure(factory: WorkerFactory, *, threads: int, per_thread: int, warmup: int) -> Summary:
    """`warmup` untimed calls per thread, then all threads start together for `per_thread`."""
    shared = _Shared(threading.Barrier(threads + 1))
    workers = [
        threading.Thread(target=_worker, args=(factory, i, per_thread, warmup, shared))
        for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    _wait(shared)
    start = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if shared.errors:
        raise shared.errors[0]
    return Summary(ops=len(shared.latencies), seconds=elapsed, latencies=tuple(shared.latencies))


class _RetryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying transaction"):
            self.count += 1


@contextlib.contextmanager
def counting_retries() -> Iterator[_RetryCounter]:
    """Count the transactions `storage.db.Database.run` had to retry (lock timeouts etc.)."""
    logger = logging.getLogger("storage.db")
    counter, level = _RetryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.INFO)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


def measure_counting_retries(
    factory: WorkerFactory, *, threads: int, per_thread: int, warmup: int
) -> Summary:
    """`measure`, with the number of retried transactions in the summary."""
    with counting_retries() as counter:
        summary = measure(factory, threads=threads, per_thread=per_thread, warmup=warmup)
    return replace(summary, retries=counter.count)


def _wait(shared: _Shared) -> None:
    # A worker that fails during warm-up breaks the barrier; its error is raised after join.
    with contextlib.suppress(threading.BrokenBarrierError):
        shared.barrier.wait()


def _worker(
    factory: WorkerFactory, index: int, per_thread: int, warmup: int, shared: _Shared
) -> None:
    try:
        with factory(index) as operation:
            for i in range(warmup):
                operation(-1 - i)
            shared.barrier.wait()
            mine = _timed(operation, per_thread)
        with shared.lock:
            shared.latencies.extend(mine)
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, re-raised there
        shared.errors.append(exc)
        shared.barrier.abort()


def _timed(operation: Operation, count: int) -> list[float]:
    latencies = []
    for i in range(count):
        started = time.perf_counter()
        operation(i)
        latencies.append(time.perf_counter() - started)
    return latencies
