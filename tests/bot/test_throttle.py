"""The App Home refresh throttle: the first request at once, a burst folded into one."""

import threading
import time

from bot.listeners.throttle import Throttle


class Runs:
    def __init__(self) -> None:
        self.done: list[tuple[str, float]] = []
        self.event = threading.Event()

    def of(self, name: str):
        def run() -> None:
            self.done.append((name, time.monotonic()))
            self.event.set()

        return run


def test_first_request_runs_at_once_and_a_burst_folds_into_one_run_after_the_gap() -> None:
    throttle, runs = Throttle(gap=0.3), Runs()
    started = time.monotonic()
    for i in range(20):
        throttle.request("U1", runs.of(f"r{i}"))
    assert [name for name, _ in runs.done] == ["r0"]
    runs.event.clear()
    assert runs.event.wait(2)
    time.sleep(0.4)
    assert [name for name, _ in runs.done] == ["r0", "r1"]
    assert runs.done[1][1] - started >= 0.3


def test_keys_do_not_wait_for_each_other() -> None:
    throttle, runs = Throttle(gap=5), Runs()
    throttle.request("U1", runs.of("a"))
    throttle.request("U2", runs.of("b"))
    assert [name for name, _ in runs.done] == ["a", "b"]


def test_a_request_after_the_gap_runs_at_once_again() -> None:
    now = [100.0]
    throttle, runs = Throttle(gap=1, clock=lambda: now[0]), Runs()
    throttle.request("U1", runs.of("a"))
    now[0] += 1.5
    throttle.request("U1", runs.of("b"))
    assert [name for name, _ in runs.done] == ["a", "b"]


def test_a_failing_deferred_run_is_logged_and_later_requests_still_run(caplog) -> None:
    throttle, runs = Throttle(gap=0.1), Runs()
    throttle.request("U1", runs.of("a"))
    failed = threading.Event()

    def boom() -> None:
        failed.set()
        raise RuntimeError("slack down")

    throttle.request("U1", boom)
    assert failed.wait(2)
    time.sleep(0.2)
    throttle.request("U1", runs.of("c"))
    assert [name for name, _ in runs.done] == ["a", "c"]
    assert "deferred refresh failed" in caplog.text
