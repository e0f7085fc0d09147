"""Workspaces and their settings."""

from datetime import datetime

from sqlmodel import Session, select

from storage.models import Workspace


def get(*, session: Session, team_id: str) -> Workspace | None:
    return session.get(Workspace, team_id)


def lock(*, session: Session, team_id: str, now: datetime) -> Workspace:
    """The team's row, created with defaults if new, locked for this transaction.

    Every money movement of a team takes this lock first, so concurrent proposals
    and decisions of one team run one after the other (PostgreSQL `FOR UPDATE`;
    on SQLite the write transaction already holds the database lock).
    """
    row = session.exec(
        select(Workspace).where(Workspace.team_id == team_id).with_for_update()
    ).first()
    if row is not None:
        return row
    ensure(session=session, team_id=team_id, now=now)
    return session.exec(
        select(Workspace).where(Workspace.team_id == team_id).with_for_update()
    ).one()


def ensure(*, session: Session, team_id: str, now: datetime) -> Workspace:
    row = session.get(Workspace, team_id)
    if row is None:
        row = Workspace(team_id=team_id, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
    return row


def all_team_ids(*, session: Session) -> list[str]:
    return list(session.exec(select(Workspace.team_id)).all())
