"""APScheduler wiring: one BackgroundScheduler running each job's pass (RELIABILITY 29).

Passes are idempotent and claim their work in the database, so any number of
instances may run this scheduler; nothing is sent twice.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import Jobs

log = logging.getLogger("perkbot.scheduler")

# How often each pass runs. Reminders are due at 10:00 in each rep's timezone, so a
# pass every minute delivers them on time whatever the zone.
EVERY = {
    "reminders": IntervalTrigger(minutes=1, timezone=UTC),
    "escalations": IntervalTrigger(minutes=5, timezone=UTC),
    "recurring": IntervalTrigger(minutes=10, timezone=UTC),
    "digest": IntervalTrigger(minutes=5, timezone=UTC),
    "retention": CronTrigger(hour=3, minute=17, timezone=UTC),
}


def start_scheduler(
    jobs: Jobs, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=UTC)
    for name, trigger in EVERY.items():
        scheduler.add_job(
            _pass,
            trigger,
            args=(jobs, name, clock),
            id=f"perkbot-{name}",
            name=name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=300,
        )
    scheduler.start()
    log.info("scheduler started: %s", ", ".join(EVERY))
    return scheduler


def _pass(jobs: Jobs, name: str, clock: Callable[[], datetime]) -> None:
    try:
        jobs.run(name, clock())
    except Exception:
        log.exception("job %s failed; its work stays due for the next pass", name)
