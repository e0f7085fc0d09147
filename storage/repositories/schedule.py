"""Queries of the scheduled jobs: what has come due. Scoped by the rows' own team."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import DigestRun, LifeEvent, NoteTask, Proposal


def notes_to_remind(*, session: Session, now: datetime, limit: int) -> list[NoteTask]:
    stmt = (
        select(NoteTask)
        .where(
            NoteTask.status == "open",
            col(NoteTask.remind_at).is_not(None),
            col(NoteTask.remind_at) <= now,
        )
        .order_by(col(NoteTask.remind_at), col(NoteTask.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(stmt).all())


def pending_older_than(*, session: Session, before: datetime) -> list[tuple[str, int]]:
    stmt = select(Proposal.team_id, Proposal.id).where(
        Proposal.status == "pending", col(Proposal.created_at) <= before
    )
    return [(team, int(pid)) for team, pid in session.exec(stmt.order_by(col(Proposal.id))).all()]


def pending_to_reping(*, session: Session, before: datetime, limit: int) -> list[Proposal]:
    stmt = (
        select(Proposal)
        .where(
            Proposal.status == "pending",
            col(Proposal.repinged_at).is_(None),
            col(Proposal.created_at) <= before,
        )
        .order_by(col(Proposal.id))
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def mark_repinged(*, session: Session, proposal_id: int, now: datetime) -> bool:
    result = session.execute(
        update(Proposal)
        .where(col(Proposal.id) == proposal_id, col(Proposal.repinged_at).is_(None))
        .values(repinged_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def claim_digest_week(*, session: Session, run: DigestRun) -> bool:
    """UNIQUE(team_id, week_start): only the first claim of a week succeeds."""
    exists = session.exec(
        select(DigestRun.id).where(
            DigestRun.team_id == run.team_id, DigestRun.week_start == run.week_start
        )
    ).first()
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        return False
    return True


def purge_event_notes(*, session: Session, team_id: str, before: datetime) -> int:
    result = session.execute(
        update(LifeEvent)
        .where(
            LifeEvent.team_id == team_id,
            col(LifeEvent.logged_at) < before,
            col(LifeEvent.notes).is_not(None),
        )
        .values(notes=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
