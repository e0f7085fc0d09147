"""Handwritten note tasks. State changes are conditional on the task being open."""

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import NoteTask

OPEN = "open"


def get(*, session: Session, team_id: str, task_id: int) -> NoteTask | None:
    row = session.get(NoteTask, task_id)
    return row if row is not None and row.team_id == team_id else None


def add(*, session: Session, task: NoteTask) -> NoteTask:
    session.add(task)
    session.flush()
    return task


def update_if_open(*, session: Session, team_id: str, task_id: int, **changes: Any) -> bool:
    result = session.execute(
        update(NoteTask)
        .where(col(NoteTask.id) == task_id, NoteTask.team_id == team_id, NoteTask.status == OPEN)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def open_for_rep(*, session: Session, team_id: str, rep_user_id: str) -> list[NoteTask]:
    stmt = select(NoteTask).where(
        NoteTask.team_id == team_id, NoteTask.rep_user_id == rep_user_id, NoteTask.status == OPEN
    )
    return list(session.exec(stmt.order_by(col(NoteTask.due_date))).all())


def for_proposal(*, session: Session, team_id: str, proposal_id: int) -> NoteTask | None:
    stmt = select(NoteTask).where(NoteTask.team_id == team_id, NoteTask.proposal_id == proposal_id)
    return session.exec(stmt.order_by(col(NoteTask.id).desc()).limit(1)).first()


def for_customer(*, session: Session, team_id: str, customer_id: int) -> list[NoteTask]:
    stmt = select(NoteTask).where(NoteTask.team_id == team_id, NoteTask.customer_id == customer_id)
    return list(session.exec(stmt.order_by(col(NoteTask.created_at).desc())).all())
