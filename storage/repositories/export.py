"""What the monthly export reads: one row per proposal, with its customer, event and note."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, select
from sqlmodel import Session

from storage.db import connection
from storage.models import Customer, LifeEvent, NoteTask, Proposal

_P: Table = Proposal.__table__  # type: ignore[attr-defined]
_C: Table = Customer.__table__  # type: ignore[attr-defined]
_E: Table = LifeEvent.__table__  # type: ignore[attr-defined]
_N: Table = NoteTask.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ExportRow:
    proposal_id: int
    created_at: datetime
    event_date: date | None
    rep_user_id: str
    customer: str
    company: str
    event_kind: str | None
    perk: str
    amount: int
    currency: str
    status: str
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    note_status: str | None


# A proposal has at most one note task; a scalar subquery keeps one row per proposal.
_NOTE_STATUS = (
    select(_N.c.status)
    .where(_N.c.team_id == _P.c.team_id, _N.c.proposal_id == _P.c.id)
    .order_by(_N.c.id)
    .limit(1)
    .scalar_subquery()
)

_COLUMNS = (
    _P.c.id.label("proposal_id"),
    _P.c.created_at,
    _E.c.event_date,
    _P.c.rep_user_id,
    _C.c.name.label("customer"),
    _C.c.company,
    _E.c.kind.label("event_kind"),
    _P.c.description.label("perk"),
    _P.c.amount,
    _P.c.currency,
    _P.c.status,
    _P.c.decided_by,
    _P.c.decided_at,
    _P.c.decision_reason.label("reason"),
    _NOTE_STATUS.label("note_status"),
)


def proposals_between(
    *, session: Session, team_id: str, start: datetime, end: datetime
) -> list[ExportRow]:
    """The team's proposals made in [start, end), oldest first."""
    stmt = (
        select(*_COLUMNS)
        .select_from(_P)
        .join(_C, (_C.c.id == _P.c.customer_id) & (_C.c.team_id == _P.c.team_id))
        .outerjoin(_E, (_E.c.id == _P.c.event_id) & (_E.c.team_id == _P.c.team_id))
        .where(_P.c.team_id == team_id, _P.c.created_at >= start, _P.c.created_at < end)
        .order_by(_P.c.created_at, _P.c.id)
    )
    return [ExportRow(**row._mapping) for row in connection(session).execute(stmt)]
