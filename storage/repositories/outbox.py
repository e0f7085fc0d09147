"""The outbox of deliveries: plan once (unique key), claim with a lease, mark the outcome."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import Delivery

DUE, SENDING, SENT, FAILED = "due", "sending", "sent", "failed"


def plan(*, session: Session, delivery: Delivery) -> bool:
    """Add the delivery unless one with its key exists. True if added."""
    exists = session.exec(
        select(Delivery.id).where(
            Delivery.team_id == delivery.team_id, Delivery.key == delivery.key
        )
    ).first()
    if exists is not None:
        return False
    try:
        with session.begin_nested():  # a concurrent planner may insert the same key
            session.add(delivery)
    except IntegrityError:
        return False
    return True


def claim(
    *,
    session: Session,
    now: datetime,
    lease: timedelta,
    token: str,
    kinds: tuple[str, ...],
    limit: int,
) -> list[Delivery]:
    """Take up to `limit` due deliveries (or ones whose lease ran out) for this pass."""
    due = or_(
        (col(Delivery.status) == DUE) & (col(Delivery.next_attempt_at) <= now),
        (col(Delivery.status) == SENDING) & (col(Delivery.claimed_until) < now),
    )
    stmt = (
        select(Delivery.id)
        .where(due, col(Delivery.kind).in_(kinds))
        .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.exec(stmt).all())
    if not ids:
        return []
    session.execute(
        update(Delivery)
        .where(col(Delivery.id).in_(ids))
        .values(status=SENDING, claimed_until=now + lease, claim_token=token)
        .execution_options(synchronize_session=False)
    )
    return list(
        session.exec(
            select(Delivery).where(col(Delivery.id).in_(ids)).order_by(col(Delivery.id))
        ).all()
    )


def finish(*, session: Session, delivery_id: int, token: str, **values: Any) -> bool:
    """Record the outcome, only if this pass still holds the claim."""
    result = session.execute(
        update(Delivery)
        .where(
            col(Delivery.id) == delivery_id,
            Delivery.claim_token == token,
            Delivery.status == SENDING,
        )
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def failed_since(*, session: Session, team_id: str, since: datetime) -> list[Delivery]:
    stmt = select(Delivery).where(
        Delivery.team_id == team_id, Delivery.status == FAILED, col(Delivery.created_at) >= since
    )
    return list(session.exec(stmt.order_by(col(Delivery.id))).all())


def by_key(*, session: Session, team_id: str, key: str) -> Delivery | None:
    return session.exec(
        select(Delivery).where(Delivery.team_id == team_id, Delivery.key == key)
    ).first()
