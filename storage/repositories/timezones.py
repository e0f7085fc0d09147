"""Members' Slack timezones, cached (refreshed daily from users.info)."""

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from storage.models import Member, NoteTask


def stale_reps_with_open_notes(
    *, session: Session, checked_before: datetime, limit: int
) -> list[tuple[str, str]]:
    """(team, user) of reps with open note tasks whose timezone is unknown or old."""
    stmt = (
        select(NoteTask.team_id, NoteTask.rep_user_id)
        .join(
            Member,
            (Member.team_id == NoteTask.team_id) & (Member.user_id == NoteTask.rep_user_id),
            isouter=True,
        )
        .where(NoteTask.status == "open")
        .where(
            or_(
                col(Member.id).is_(None),
                col(Member.timezone_checked_at).is_(None),
                col(Member.timezone_checked_at) < checked_before,
            )
        )
        .distinct()
        .limit(limit)
    )
    return [(team, user) for team, user in session.exec(stmt).all()]


def first_reminders(*, session: Session, team_id: str, user_id: str) -> list[NoteTask]:
    """Open tasks not reminded yet: their due-day reminder follows the rep's timezone."""
    stmt = select(NoteTask).where(
        NoteTask.team_id == team_id,
        NoteTask.rep_user_id == user_id,
        NoteTask.status == "open",
        NoteTask.reminders_sent == 0,
    )
    return list(session.exec(stmt).all())
