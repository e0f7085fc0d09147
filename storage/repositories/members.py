"""Members and roles, including a rep's assigned manager."""

from sqlmodel import Session, select

from storage.models import Member


def get(*, session: Session, team_id: str, user_id: str) -> Member | None:
    return session.exec(
        select(Member).where(Member.team_id == team_id, Member.user_id == user_id)
    ).first()


def ensure(*, session: Session, team_id: str, user_id: str) -> Member:
    row = get(session=session, team_id=team_id, user_id=user_id)
    if row is None:
        row = Member(team_id=team_id, user_id=user_id)
        session.add(row)
        session.flush()
    return row


def with_role(*, session: Session, team_id: str, roles: tuple[str, ...]) -> list[Member]:
    stmt = select(Member).where(Member.team_id == team_id, Member.role.in_(roles))
    return list(session.exec(stmt.order_by(Member.user_id)).all())


def reports_of(*, session: Session, team_id: str, manager_user_id: str) -> list[Member]:
    stmt = select(Member).where(
        Member.team_id == team_id, Member.manager_user_id == manager_user_id
    )
    return list(session.exec(stmt.order_by(Member.user_id)).all())


def all_members(*, session: Session, team_id: str) -> list[Member]:
    stmt = select(Member).where(Member.team_id == team_id)
    return list(session.exec(stmt.order_by(Member.user_id)).all())
