"""Members and roles, including a rep's assigned manager."""

from functools import cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, or_, select
from sqlmodel import Session
from sqlmodel import select as orm_select

from storage.db import connection, detached
from storage.models import Member

_M: Table = Member.__table__  # type: ignore[attr-defined]
_OF_TEAM = _M.c.team_id == bindparam("team_id")
_ROLE = select(_M.c.role).where(_OF_TEAM, _M.c.user_id == bindparam("user_id"))
_TIMEZONE = select(_M.c.timezone).where(_OF_TEAM, _M.c.user_id == bindparam("user_id"))


@cache
def _with_role_and(role_count: int) -> Select[Any]:
    roles = [_M.c.role == bindparam(f"role_{i}") for i in range(role_count)]
    user = _M.c.user_id == bindparam("user_id")
    return select(_M).where(_OF_TEAM, or_(user, *roles)).order_by(_M.c.user_id)


def get(*, session: Session, team_id: str, user_id: str) -> Member | None:
    return session.exec(
        orm_select(Member).where(Member.team_id == team_id, Member.user_id == user_id)
    ).first()


def role(*, session: Session, team_id: str, user_id: str) -> str | None:
    """The member's stored role; None if not a member."""
    params = {"team_id": team_id, "user_id": user_id}
    return connection(session).execute(_ROLE, params).scalar_one_or_none()


def timezone(*, session: Session, team_id: str, user_id: str) -> str | None:
    """The member's Slack timezone, if known."""
    params = {"team_id": team_id, "user_id": user_id}
    return connection(session).execute(_TIMEZONE, params).scalar_one_or_none()


def with_role_and(
    *, session: Session, team_id: str, roles: tuple[str, ...], user_id: str
) -> list[Member]:
    """`with_role`, plus the user's own row whatever its role (detached), by user id."""
    params = {"team_id": team_id, "user_id": user_id}
    params.update({f"role_{i}": role for i, role in enumerate(roles)})
    rows = connection(session).execute(_with_role_and(len(roles)), params)
    return [detached(Member, row._mapping) for row in rows]


def ensure(*, session: Session, team_id: str, user_id: str) -> Member:
    row = get(session=session, team_id=team_id, user_id=user_id)
    if row is None:
        row = Member(team_id=team_id, user_id=user_id)
        session.add(row)
        session.flush()
    return row


def with_role(*, session: Session, team_id: str, roles: tuple[str, ...]) -> list[Member]:
    stmt = orm_select(Member).where(Member.team_id == team_id, Member.role.in_(roles))
    return list(session.exec(stmt.order_by(Member.user_id)).all())


def reports_of(*, session: Session, team_id: str, manager_user_id: str) -> list[Member]:
    stmt = orm_select(Member).where(
        Member.team_id == team_id, Member.manager_user_id == manager_user_id
    )
    return list(session.exec(stmt.order_by(Member.user_id)).all())


def all_members(*, session: Session, team_id: str) -> list[Member]:
    stmt = orm_select(Member).where(Member.team_id == team_id)
    return list(session.exec(stmt.order_by(Member.user_id)).all())
