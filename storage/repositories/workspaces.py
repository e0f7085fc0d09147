"""Workspaces and their settings."""

from datetime import datetime

from sqlalchemy import Table, bindparam, select
from sqlmodel import Session
from sqlmodel import select as orm_select

from storage.db import connection, detached
from storage.models import Workspace

_W: Table = Workspace.__table__  # type: ignore[attr-defined]
_LOCK = select(_W).where(_W.c.team_id == bindparam("team_id")).with_for_update()


def get(*, session: Session, team_id: str) -> Workspace | None:
    return session.get(Workspace, team_id)


def lock(*, session: Session, team_id: str, now: datetime) -> Workspace:
    """The team's row, created with defaults if new, locked for this transaction.

    Every money movement of a team takes this lock first, so concurrent proposals
    and decisions of one team run one after the other (PostgreSQL `FOR UPDATE`;
    on SQLite the write transaction already holds the database lock).
    """
    row = session.exec(
        orm_select(Workspace).where(Workspace.team_id == team_id).with_for_update()
    ).first()
    if row is not None:
        return row
    ensure(session=session, team_id=team_id, now=now)
    return session.exec(
        orm_select(Workspace).where(Workspace.team_id == team_id).with_for_update()
    ).one()


def lock_settings(*, session: Session, team_id: str, now: datetime) -> Workspace:
    """`lock`, for a caller that only reads the settings: the same row lock, taken
    with one Core query, and the row handed back detached (changes to it are not saved).
    """
    row = connection(session).execute(_LOCK, {"team_id": team_id}).first()
    if row is None:
        ensure(session=session, team_id=team_id, now=now)
        row = connection(session).execute(_LOCK, {"team_id": team_id}).one()
    return detached(Workspace, row._mapping)


def ensure(*, session: Session, team_id: str, now: datetime) -> Workspace:
    row = session.get(Workspace, team_id)
    if row is None:
        row = Workspace(team_id=team_id, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
    return row


def all_team_ids(*, session: Session) -> list[str]:
    return list(session.exec(orm_select(Workspace.team_id)).all())
