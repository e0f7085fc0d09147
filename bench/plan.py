"""What a benchmark is given: the databases to run on and how much work to do."""

from collections.abc import Callable
from dataclasses import dataclass

from bench.databases import Backend
from bench.stats import Comparison


@dataclass(frozen=True)
class Plan:
    backends: tuple[Backend, ...]
    operations: int  # per measured run, spread over the threads
    warmup: int  # untimed operations per thread before the clock starts
    thread_counts: tuple[int, ...] = (1, 20)

    def per_thread(self, threads: int) -> int:
        return max(1, self.operations // threads)


# A benchmark runs its measurements on every backend and returns one row per run.
Benchmark = Callable[[Plan], list[Comparison]]


class BenchFailure(AssertionError):
    """A benchmark left the database in a state the rules forbid."""
