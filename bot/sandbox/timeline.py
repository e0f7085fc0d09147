""" "Advance time": move the sandbox clock forward in steps, running the jobs at each.

Stepping every half hour (not jumping) lets each thing happen when it would: a note
reminder at 10:00 in the rep's timezone (half-hour zones included), a re-ping after 24 h
before an expiry at 72 h, Monday's digest at 09:00.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.sandbox.clock import SandboxClock

STEP = 1800.0
MAX_SPAN = timedelta(days=62)  # a guard against a typo in the year


def target(now: datetime, *, hours: float = 0, days: float = 0, until: str | None = None) -> float:
    """The epoch second to move to: now plus a span, or 00:00 UTC of an ISO date."""
    if until:
        when = datetime.combine(date.fromisoformat(until), time(0), UTC)
    else:
        when = now + timedelta(hours=hours, days=days)
    if when <= now:
        raise ValueError("That is not in the future of the sandbox clock.")
    if when - now > MAX_SPAN:
        raise ValueError("The sandbox moves at most 62 days at a time.")
    return when.timestamp()


def advance(clock: SandboxClock, until: float, run_jobs: Callable[[datetime, bool], None]) -> int:
    """Step to each half-hour mark up to `until` (then `until` itself), calling
    `run_jobs(now, last)` at each; returns the number of steps."""
    steps = 0
    moment = clock()
    while moment < until:
        moment = min(until, (moment // STEP + 1) * STEP)
        clock.set(moment)
        run_jobs(clock.now(), moment >= until)
        steps += 1
    return steps


def jobs_at(
    jobs: Iterable[str], now: datetime, last: bool, zones: Iterable[str], reminder_hour: int
) -> list[str]:
    """Which jobs a step runs. Note reminders fall due at `reminder_hour` in a rep's zone
    (or at once, which the last step catches), so other steps skip that slower pass."""
    local_hours = {now.astimezone(ZoneInfo(zone)).hour for zone in zones}
    if last or reminder_hour in local_hours:
        return list(jobs)
    return [name for name in jobs if name != "reminders"]
