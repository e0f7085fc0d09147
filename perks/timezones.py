"""Reps' timezones: reminders are due at 10:00 where the rep is, per their Slack profile."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from perks.calendar import REMINDER_HOUR, at_local_time
from perks.context import Ctx
from storage.repositories import members, workspaces
from storage.repositories import timezones as q

REFRESH_AFTER = timedelta(days=1)


def stale(ctx: Ctx, *, now: datetime, limit: int = 200) -> list[tuple[str, str]]:
    """Reps with open notes whose timezone was not read from Slack in the last day."""
    return ctx.db.run(
        lambda s: q.stale_reps_with_open_notes(
            session=s, checked_before=now - REFRESH_AFTER, limit=limit
        ),
        write=False,
    )


def record(ctx: Ctx, team_id: str, user_id: str, tz: str | None, *, now: datetime) -> None:
    """Keep the rep's timezone; move not-yet-sent due-day reminders to 10:00 in it."""
    try:
        zone = str(ZoneInfo(tz)) if tz else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None  # Slack sent something zoneinfo doesn't know: keep the fallback

    def work(session: Session) -> None:
        workspaces.ensure(session=session, team_id=team_id, now=now)
        member = members.ensure(session=session, team_id=team_id, user_id=user_id)
        member.timezone_checked_at = now
        if zone is None or zone == member.timezone:
            return
        member.timezone = zone
        for task in q.first_reminders(session=session, team_id=team_id, user_id=user_id):
            task.remind_at = max(at_local_time(task.due_date, REMINDER_HOUR, 0, zone), now)
            session.add(task)

    ctx.db.run(work)
