"""Proposals. Decisions are conditional updates, so only one decider can win."""

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import Proposal

PENDING = "pending"


def get(*, session: Session, team_id: str, proposal_id: int) -> Proposal | None:
    row = session.get(Proposal, proposal_id)
    return row if row is not None and row.team_id == team_id else None


def by_client_key(*, session: Session, team_id: str, client_key: str) -> Proposal | None:
    return session.exec(
        select(Proposal).where(Proposal.team_id == team_id, Proposal.client_key == client_key)
    ).first()


def add(*, session: Session, proposal: Proposal) -> Proposal:
    session.add(proposal)
    session.flush()
    return proposal


def decide_if_pending(*, session: Session, team_id: str, proposal_id: int, **changes: Any) -> bool:
    """Set `changes` only if the proposal is still pending. True if this call won."""
    result = session.execute(
        update(Proposal)
        .where(
            col(Proposal.id) == proposal_id,
            Proposal.team_id == team_id,
            Proposal.status == PENDING,
        )
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def refresh(*, session: Session, proposal: Proposal) -> Proposal:
    session.refresh(proposal)
    return proposal


def pending(
    *, session: Session, team_id: str, older_than: datetime | None = None
) -> list[Proposal]:
    stmt = select(Proposal).where(Proposal.team_id == team_id, Proposal.status == PENDING)
    if older_than is not None:
        stmt = stmt.where(col(Proposal.created_at) <= older_than)
    return list(session.exec(stmt.order_by(col(Proposal.created_at))).all())


def for_customer(
    *, session: Session, team_id: str, customer_id: int, limit: int = 50
) -> list[Proposal]:
    stmt = (
        select(Proposal)
        .where(Proposal.team_id == team_id, Proposal.customer_id == customer_id)
        .order_by(col(Proposal.created_at).desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def set_approval_message(
    *, session: Session, team_id: str, proposal_id: int, channel: str, ts: str
) -> None:
    session.execute(
        update(Proposal)
        .where(col(Proposal.id) == proposal_id, Proposal.team_id == team_id)
        .values(approval_channel=channel, approval_ts=ts)
    )


def pending_of_rep(*, session: Session, team_id: str, rep_user_id: str) -> list[Proposal]:
    stmt = select(Proposal).where(
        Proposal.team_id == team_id, Proposal.status == PENDING, Proposal.rep_user_id == rep_user_id
    )
    return list(session.exec(stmt.order_by(col(Proposal.created_at))).all())
