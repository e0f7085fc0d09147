""" "Advance time": move the sandbox clock forward in steps, running the jobs at each.

Stepping (not jumping) lets each thing happen when it would: a re-ping after 24 h before
an expiry at 72 h, Monday's digest at 09:00, and a note reminder at 10:00 in the rep's
timezone. Steps fall on every full hour UTC and on 10:00 in each demo timezone (Kolkata's
10:00 is at half past), so a week is some 170 steps, not 10,000 minutes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.sandbox.clock import SandboxClock

HOUR = 3600.0
MAX_SPAN = timedelta(days=62)  # a guard against a typo in the year


@dataclass(frozen=True)
class Rhythm:
    """When things fall due: the demo's timezones and the hour reminders go out there."""

    zones: frozenset[str]
    reminder_hour: int

    def next_step(self, moment: float) -> float:
        """The next full hour UTC, or the next `reminder_hour` in a zone, after `moment`."""
        candidates = [(moment // HOUR + 1) * HOUR]
        for zone in self.zones:
            local = datetime.fromtimestamp(moment, ZoneInfo(zone))
            due = local.replace(hour=self.reminder_hour, minute=0, second=0, microsecond=0)
            if due.timestamp() <= moment:
                due = datetime.combine(due.date() + timedelta(days=1), due.timetz())
            candidates.append(due.timestamp())
        return min(candidates)

    def jobs_at(self, jobs: Iterable[str], now: datetime, last: bool) -> list[str]:
        """Note reminders fall due at `reminder_hour` where the rep is (or at once, which
        the last step catches), so other steps skip that slower pass."""
        local_hours = {now.astimezone(ZoneInfo(zone)).hour for zone in self.zones}
        if last or self.reminder_hour in local_hours:
            return list(jobs)
        return [name for name in jobs if name != "reminders"]


def target(
    now: datetime,
    *,
    hours: float = 0,
    days: float = 0,
    until: str | None = None,
    zone: str = "UTC",
) -> float:
    """The epoch second to move to: now plus a span, or the start of an ISO date in `zone`
    (the timezone of the person moving the clock)."""
    if until:
        when = datetime.combine(date.fromisoformat(until), time(0), ZoneInfo(zone))
    else:
        when = now + timedelta(hours=hours, days=days)
    if when <= now:
        raise ValueError("That is not in the future of the sandbox clock.")
    if when - now > MAX_SPAN:
        raise ValueError("The sandbox moves at most 62 days at a time.")
    return when.timestamp()


def advance(
    clock: SandboxClock, until: float, rhythm: Rhythm, run_jobs: Callable[[datetime, bool], None]
) -> int:
    """Step up to `until` (its last step is `until` itself), calling `run_jobs(now, last)`
    at each; returns the number of steps."""
    steps = 0
    moment = clock()
    while moment < until:
        moment = min(until, rhythm.next_step(moment))
        clock.set(moment)
        run_jobs(clock.now(), moment >= until)
        steps += 1
    return steps
