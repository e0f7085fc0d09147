"""Life events."""

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import LifeEvent


def get(*, session: Session, team_id: str, event_id: int) -> LifeEvent | None:
    row = session.get(LifeEvent, event_id)
    return row if row is not None and row.team_id == team_id else None


def by_client_key(*, session: Session, team_id: str, client_key: str) -> LifeEvent | None:
    return session.exec(
        select(LifeEvent).where(LifeEvent.team_id == team_id, LifeEvent.client_key == client_key)
    ).first()


def recent_same_kind(
    *, session: Session, team_id: str, customer_id: int, kind: str, since: datetime
) -> LifeEvent | None:
    """The latest event of this kind for the customer logged since `since`."""
    return session.exec(
        select(LifeEvent)
        .where(
            LifeEvent.team_id == team_id,
            LifeEvent.customer_id == customer_id,
            LifeEvent.kind == kind,
            col(LifeEvent.logged_at) >= since,
        )
        .order_by(col(LifeEvent.logged_at).desc())
    ).first()


def for_customer(
    *, session: Session, team_id: str, customer_id: int, limit: int = 50
) -> list[LifeEvent]:
    stmt = (
        select(LifeEvent)
        .where(LifeEvent.team_id == team_id, LifeEvent.customer_id == customer_id)
        .order_by(col(LifeEvent.event_date).desc(), col(LifeEvent.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def add(*, session: Session, event: LifeEvent) -> LifeEvent:
    session.add(event)
    session.flush()
    return event


def by_ids(*, session: Session, team_id: str, ids: set[int]) -> dict[int, LifeEvent]:
    if not ids:
        return {}
    stmt = select(LifeEvent).where(LifeEvent.team_id == team_id, col(LifeEvent.id).in_(ids))
    return {e.id: e for e in session.exec(stmt).all() if e.id is not None}


def logged_by(*, session: Session, team_id: str, user_id: str, limit: int = 10) -> list[LifeEvent]:
    stmt = (
        select(LifeEvent)
        .where(LifeEvent.team_id == team_id, LifeEvent.logged_by == user_id)
        .order_by(col(LifeEvent.logged_at).desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())
