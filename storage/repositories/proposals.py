"""Proposals. Decisions are conditional updates, so only one decider can win.

The submit and decide paths use Core statements built once (one query for a
proposal and everything a decision needs; an INSERT … RETURNING id) and hand back
model instances made from the rows, detached like every row a use case returns.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Row, Table, and_, bindparam, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from storage.db import connection, detached
from storage.models import Customer, LifeEvent, Member, Proposal, Workspace

PENDING = "pending"

_P: Table = Proposal.__table__  # type: ignore[attr-defined]
_C: Table = Customer.__table__  # type: ignore[attr-defined]
_E: Table = LifeEvent.__table__  # type: ignore[attr-defined]
_W: Table = Workspace.__table__  # type: ignore[attr-defined]
_M: Table = Member.__table__  # type: ignore[attr-defined]


def get(*, session: Session, team_id: str, proposal_id: int) -> Proposal | None:
    row = session.get(Proposal, proposal_id)
    return row if row is not None and row.team_id == team_id else None


def by_client_key(*, session: Session, team_id: str, client_key: str) -> Proposal | None:
    return session.exec(
        orm_select(Proposal).where(Proposal.team_id == team_id, Proposal.client_key == client_key)
    ).first()


def add(*, session: Session, proposal: Proposal) -> Proposal:
    session.add(proposal)
    session.flush()
    return proposal


_INSERT = insert(_P).returning(_P.c.id)


def create(*, session: Session, **values: Any) -> Proposal:
    """INSERT a proposal with these column values; the new row, id included."""
    new_id = connection(session).execute(_INSERT, values).scalar_one()
    return detached(Proposal, {**values, "id": new_id})


@cache
def _decide_statement(columns: frozenset[str]) -> Any:
    return (
        update(_P)
        .where(
            _P.c.id == bindparam("where_id"),
            _P.c.team_id == bindparam("where_team_id"),
            _P.c.status == PENDING,
        )
        .values({name: bindparam(f"new_{name}") for name in columns})
    )


def decide_if_pending(*, session: Session, team_id: str, proposal_id: int, **changes: Any) -> bool:
    """Set `changes` only if the proposal is still pending. True if this call won."""
    params = {f"new_{name}": value for name, value in changes.items()}
    result = connection(session).execute(
        _decide_statement(frozenset(changes)),
        {"where_id": proposal_id, "where_team_id": team_id, **params},
    )
    return result.rowcount == 1


def decided(proposal: Proposal, changes: Mapping[str, Any]) -> Proposal:
    """`proposal` as `decide_if_pending(**changes)` left it in the database.

    No need to read the row again: the update set exactly these values (datetimes
    come back from the database in UTC, so they are given in UTC here too).
    """
    for name, value in changes.items():
        if isinstance(value, datetime):
            value = value.astimezone(UTC)
        set_committed_value(proposal, name, value)
    return proposal


@dataclass(frozen=True)
class Subject:
    """What a new proposal is for: the life event and its customer."""

    event: LifeEvent
    customer: Customer | None  # None if the customer row is gone


@dataclass(frozen=True)
class ToDecide:
    """A proposal with everything deciding it needs, read in one query."""

    proposal: Proposal
    customer: Customer | None
    event: LifeEvent | None
    workspace: Workspace
    decider_role: str | None  # the decider's stored role; None if not a member
    rep_timezone: str | None  # the rep's Slack timezone, if known


class _Tables:
    """All columns of some tables in one SELECT, and each row split back per table."""

    def __init__(self, *tables: Table) -> None:
        self.columns = [c for table in tables for c in table.columns]
        self._parts: list[tuple[int, int, list[str]]] = []
        start = 0
        for table in tables:
            keys = [c.key for c in table.columns]
            self._parts.append((start, start + len(keys), keys))
            start += len(keys)

    def split(self, row: Row[Any]) -> list[dict[str, Any]]:
        return [dict(zip(keys, row[a:b], strict=True)) for a, b, keys in self._parts]


_EVENT_CUSTOMER = _Tables(_E, _C)
_SUBJECT = (
    select(*_EVENT_CUSTOMER.columns)
    .select_from(_E.outerjoin(_C, and_(_C.c.id == _E.c.customer_id, _C.c.team_id == _E.c.team_id)))
    .where(_E.c.id == bindparam("event_id"), _E.c.team_id == bindparam("team_id"))
)


def subject(*, session: Session, team_id: str, event_id: int) -> Subject | None:
    """The team's life event `event_id` and its customer; None if there is no such event."""
    params = {"event_id": event_id, "team_id": team_id}
    row = connection(session).execute(_SUBJECT, params).first()
    if row is None:
        return None
    event, customer = _EVENT_CUSTOMER.split(row)
    return Subject(
        detached(LifeEvent, event),
        detached(Customer, customer) if customer["id"] is not None else None,
    )


_DECIDER, _REP = _M.alias("decider"), _M.alias("rep")
_DECISION = _Tables(_P, _C, _E, _W)
_TO_DECIDE = (
    select(*_DECISION.columns, _DECIDER.c.role, _REP.c.timezone)
    .select_from(
        _P.join(_W, _W.c.team_id == _P.c.team_id)
        .outerjoin(_C, and_(_C.c.id == _P.c.customer_id, _C.c.team_id == _P.c.team_id))
        .outerjoin(_E, and_(_E.c.id == _P.c.event_id, _E.c.team_id == _P.c.team_id))
        .outerjoin(
            _DECIDER,
            and_(_DECIDER.c.team_id == _P.c.team_id, _DECIDER.c.user_id == bindparam("decider")),
        )
        .outerjoin(_REP, and_(_REP.c.team_id == _P.c.team_id, _REP.c.user_id == _P.c.rep_user_id))
    )
    .where(_P.c.id == bindparam("proposal_id"), _P.c.team_id == bindparam("team_id"))
)


def to_decide(*, session: Session, team_id: str, proposal_id: int, decider: str) -> ToDecide | None:
    """The team's proposal `proposal_id` with its customer, event and workspace, the
    stored role of `decider` and the rep's timezone; None if there is no such proposal.
    """
    params = {"proposal_id": proposal_id, "team_id": team_id, "decider": decider}
    row = connection(session).execute(_TO_DECIDE, params).first()
    if row is None:
        return None
    proposal, customer, event, workspace = _DECISION.split(row)
    return ToDecide(
        detached(Proposal, proposal),
        detached(Customer, customer) if customer["id"] is not None else None,
        detached(LifeEvent, event) if event["id"] is not None else None,
        detached(Workspace, workspace),
        decider_role=row[-2],
        rep_timezone=row[-1],
    )


def pending(
    *, session: Session, team_id: str, older_than: datetime | None = None, limit: int | None = None
) -> list[Proposal]:
    stmt = orm_select(Proposal).where(Proposal.team_id == team_id, Proposal.status == PENDING)
    if older_than is not None:
        stmt = stmt.where(col(Proposal.created_at) <= older_than)
    return list(session.exec(stmt.order_by(col(Proposal.created_at)).limit(limit)).all())


def for_customer(
    *, session: Session, team_id: str, customer_id: int, limit: int = 50
) -> list[Proposal]:
    stmt = (
        orm_select(Proposal)
        .where(Proposal.team_id == team_id, Proposal.customer_id == customer_id)
        .order_by(col(Proposal.created_at).desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def pending_of_rep(*, session: Session, team_id: str, rep_user_id: str) -> list[Proposal]:
    stmt = orm_select(Proposal).where(
        Proposal.team_id == team_id, Proposal.status == PENDING, Proposal.rep_user_id == rep_user_id
    )
    return list(session.exec(stmt.order_by(col(Proposal.created_at))).all())
