"""The ledger: append-only reserve / commit / release rows.

There is deliberately no update or delete here. Balances are sums over the rows,
computed every time:  committed = Σcommit,  reserved = Σreserve − Σrelease − Σcommit
(every proposal reserves first, then commits or releases exactly once).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from storage.models import LedgerEntry, Proposal

RESERVE, COMMIT, RELEASE = "reserve", "commit", "release"


@dataclass(frozen=True)
class Sums:
    committed: int
    reserved: int


def append(*, session: Session, proposal: Proposal, entry: str, at: datetime) -> LedgerEntry:
    row = LedgerEntry(
        team_id=proposal.team_id,
        proposal_id=proposal.id,
        rep_user_id=proposal.rep_user_id,
        customer_id=proposal.customer_id,
        entry=entry,
        amount=proposal.amount,
        period_start=proposal.period_start,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row


def _sum_of(kind: str):  # type: ignore[no-untyped-def]
    return func.coalesce(
        func.sum(case((LedgerEntry.entry == kind, LedgerEntry.amount), else_=0)), 0
    )


def _sums(stmt) -> Sums:  # type: ignore[no-untyped-def]
    reserved, committed, released = stmt.one()
    return Sums(committed=int(committed), reserved=int(reserved - released - committed))


def _columns():  # type: ignore[no-untyped-def]
    return _sum_of(RESERVE), _sum_of(COMMIT), _sum_of(RELEASE)


def period_sums(
    *, session: Session, team_id: str, period_start: date, rep_user_id: str | None = None
) -> Sums:
    stmt = select(*_columns()).where(
        LedgerEntry.team_id == team_id, LedgerEntry.period_start == period_start
    )
    if rep_user_id is not None:
        stmt = stmt.where(LedgerEntry.rep_user_id == rep_user_id)
    return _sums(session.exec(stmt))


def customer_sums(*, session: Session, team_id: str, customer_id: int, since: datetime) -> Sums:
    """Money booked for a customer by proposals made since `since` (rolling cap)."""
    stmt = (
        select(*_columns())
        .join(Proposal, col(Proposal.id) == LedgerEntry.proposal_id)
        .where(
            LedgerEntry.team_id == team_id,
            LedgerEntry.customer_id == customer_id,
            col(Proposal.created_at) >= since,
        )
    )
    return _sums(session.exec(stmt))


def for_proposal(*, session: Session, team_id: str, proposal_id: int) -> list[LedgerEntry]:
    stmt = select(LedgerEntry).where(
        LedgerEntry.team_id == team_id, LedgerEntry.proposal_id == proposal_id
    )
    return list(session.exec(stmt.order_by(col(LedgerEntry.id))).all())


def has_entries(*, session: Session, team_id: str) -> bool:
    stmt = select(LedgerEntry.id).where(LedgerEntry.team_id == team_id).limit(1)
    return session.exec(stmt).first() is not None
