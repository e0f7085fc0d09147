"""The ledger: append-only reserve / commit / release rows.

There is deliberately no update or delete here. Balances are sums over the rows,
computed every time:  committed = Σcommit,  reserved = Σreserve − Σrelease − Σcommit
(every proposal reserves first, then commits or releases exactly once).

The hot statements are built once, with bind parameters, and run as Core
statements: their compiled form is cached and no ORM objects are made.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal_column,
    select,
    true,
)
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from storage.db import connection
from storage.models import LedgerEntry, Proposal

RESERVE, COMMIT, RELEASE = "reserve", "commit", "release"

_L: Table = LedgerEntry.__table__  # type: ignore[attr-defined]
_P: Table = Proposal.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Sums:
    committed: int
    reserved: int


@dataclass(frozen=True)
class ProposalSums:
    """What a new proposal is checked against: its team's and rep's period, its customer."""

    team: Sums
    rep: Sums
    customer: Sums


_ZERO = literal_column("0")


def _sum_of(kind: str, *also: ColumnElement[bool]) -> ColumnElement[Any]:
    # The kinds are our own constants, written into the SQL like the zeros.
    is_kind = _L.c.entry == literal_column(f"'{kind}'")
    return func.coalesce(func.sum(case((and_(is_kind, *also), _L.c.amount), else_=_ZERO)), _ZERO)


def _columns(*also: ColumnElement[bool]) -> list[ColumnElement[Any]]:
    return [_sum_of(RESERVE, *also), _sum_of(COMMIT, *also), _sum_of(RELEASE, *also)]


def _sums(reserved: int, committed: int, released: int) -> Sums:
    return Sums(committed=int(committed), reserved=int(reserved - released - committed))


_IN_PERIOD = (_L.c.team_id == bindparam("team_id"), _L.c.period_start == bindparam("period_start"))
_OF_REP = _L.c.rep_user_id == bindparam("rep_user_id")
_TEAM_PERIOD = select(*_columns()).where(*_IN_PERIOD)
_REP_PERIOD = _TEAM_PERIOD.where(_OF_REP)
_CUSTOMER_FROM = _L.join(_P, _P.c.id == _L.c.proposal_id)
_OF_CUSTOMER = (
    _L.c.team_id == bindparam("team_id"),
    _L.c.customer_id == bindparam("customer_id"),
    _P.c.created_at >= bindparam("since"),
)
_CUSTOMER = select(*_columns()).select_from(_CUSTOMER_FROM).where(*_OF_CUSTOMER)
# All three in one statement: the team and the rep in one pass over the period's rows.
_PERIOD_PART = select(*_columns(), *_columns(_OF_REP)).where(*_IN_PERIOD).subquery()
_CUSTOMER_PART = _CUSTOMER.subquery()
_FOR_PROPOSAL = select(*_PERIOD_PART.c, *_CUSTOMER_PART.c).select_from(
    _PERIOD_PART.join(_CUSTOMER_PART, true())
)
_APPEND = insert(_L)


def append(*, session: Session, proposal: Proposal, entry: str, at: datetime) -> None:
    """Add one row for `proposal` (INSERT only, like everything here)."""
    connection(session).execute(
        _APPEND,
        {
            "team_id": proposal.team_id,
            "proposal_id": proposal.id,
            "rep_user_id": proposal.rep_user_id,
            "customer_id": proposal.customer_id,
            "entry": entry,
            "amount": proposal.amount,
            "period_start": proposal.period_start,
            "created_at": at,
        },
    )


def period_sums(
    *, session: Session, team_id: str, period_start: date, rep_user_id: str | None = None
) -> Sums:
    params: dict[str, object] = {"team_id": team_id, "period_start": period_start}
    stmt = _TEAM_PERIOD
    if rep_user_id is not None:
        stmt, params["rep_user_id"] = _REP_PERIOD, rep_user_id
    return _sums(*connection(session).execute(stmt, params).one())


def customer_sums(*, session: Session, team_id: str, customer_id: int, since: datetime) -> Sums:
    """Money booked for a customer by proposals made since `since` (rolling cap)."""
    params = {"team_id": team_id, "customer_id": customer_id, "since": since}
    return _sums(*connection(session).execute(_CUSTOMER, params).one())


def proposal_sums(
    *,
    session: Session,
    team_id: str,
    period_start: date,
    rep_user_id: str,
    customer_id: int,
    since: datetime,
) -> ProposalSums:
    """`period_sums` of the team and of the rep, and `customer_sums`, in one query."""
    params = {
        "team_id": team_id,
        "period_start": period_start,
        "rep_user_id": rep_user_id,
        "customer_id": customer_id,
        "since": since,
    }
    row: Sequence[int] = connection(session).execute(_FOR_PROPOSAL, params).one()
    return ProposalSums(team=_sums(*row[0:3]), rep=_sums(*row[3:6]), customer=_sums(*row[6:9]))


def for_proposal(*, session: Session, team_id: str, proposal_id: int) -> list[LedgerEntry]:
    stmt = orm_select(LedgerEntry).where(
        LedgerEntry.team_id == team_id, LedgerEntry.proposal_id == proposal_id
    )
    return list(session.exec(stmt.order_by(col(LedgerEntry.id))).all())


def has_entries(*, session: Session, team_id: str) -> bool:
    stmt = orm_select(LedgerEntry.id).where(LedgerEntry.team_id == team_id).limit(1)
    return session.exec(stmt).first() is not None
