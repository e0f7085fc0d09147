"""Aggregates for the weekly digest: a fixed number of queries, whatever the team size."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, extract, func
from sqlmodel import Session, col, select

from storage.models import Customer, LedgerEntry, LifeEvent, NoteTask, Proposal

_RESERVED = func.sum(
    case(
        (LedgerEntry.entry == "reserve", LedgerEntry.amount),
        (LedgerEntry.entry.in_(("release", "commit")), -LedgerEntry.amount),  # type: ignore[attr-defined]
        else_=0,
    )
)
_COMMITTED = func.sum(case((LedgerEntry.entry == "commit", LedgerEntry.amount), else_=0))


@dataclass(frozen=True)
class RepSpend:
    rep_user_id: str
    committed: int
    reserved: int


def rep_spend(*, session: Session, team_id: str, period_start: date) -> list[RepSpend]:
    """Every rep's spend this period, biggest first."""
    stmt = (
        select(LedgerEntry.rep_user_id, _COMMITTED, _RESERVED)
        .where(LedgerEntry.team_id == team_id, LedgerEntry.period_start == period_start)
        .group_by(LedgerEntry.rep_user_id)
        .order_by((_COMMITTED + _RESERVED).desc(), LedgerEntry.rep_user_id)
    )
    return [RepSpend(r, int(c or 0), int(v or 0)) for r, c, v in session.exec(stmt).all()]


def events_by_kind(
    *, session: Session, team_id: str, since: datetime, until: datetime
) -> dict[str, int]:
    stmt = (
        select(LifeEvent.kind, func.count())
        .where(
            LifeEvent.team_id == team_id,
            col(LifeEvent.logged_at) >= since,
            col(LifeEvent.logged_at) < until,
        )
        .group_by(LifeEvent.kind)
    )
    return {kind: int(n) for kind, n in session.exec(stmt).all()}


def proposals_by_status(
    *, session: Session, team_id: str, since: datetime, until: datetime
) -> dict[str, tuple[int, int]]:
    """(count, amount) per status, of proposals made in the window."""
    stmt = (
        select(Proposal.status, func.count(), func.coalesce(func.sum(Proposal.amount), 0))
        .where(
            Proposal.team_id == team_id,
            col(Proposal.created_at) >= since,
            col(Proposal.created_at) < until,
        )
        .group_by(Proposal.status)
    )
    return {status: (int(n), int(total)) for status, n, total in session.exec(stmt).all()}


def note_counts(
    *, session: Session, team_id: str, since: datetime, until: datetime, today: date
) -> tuple[int, int]:
    """(notes sent in the window, open notes past their due date)."""
    sent = func.sum(
        case(
            (
                (NoteTask.status == "sent")
                & (col(NoteTask.done_at) >= since)
                & (col(NoteTask.done_at) < until),
                1,
            ),
            else_=0,
        )
    )
    overdue = func.sum(
        case(((NoteTask.status == "open") & (col(NoteTask.due_date) < today), 1), else_=0)
    )
    row = session.exec(select(sent, overdue).where(NoteTask.team_id == team_id)).one()
    return int(row[0] or 0), int(row[1] or 0)


def oldest_pending(
    *, session: Session, team_id: str, limit: int = 5
) -> list[tuple[Proposal, Customer]]:
    stmt = (
        select(Proposal, Customer)
        .join(Customer, col(Customer.id) == Proposal.customer_id)
        .where(Proposal.team_id == team_id, Proposal.status == "pending")
        .order_by(col(Proposal.created_at))
        .limit(limit)
    )
    return [(p, c) for p, c in session.exec(stmt).all()]


def highlights(
    *, session: Session, team_id: str, since: datetime, until: datetime, limit: int = 3
) -> list[tuple[Proposal, Customer, LifeEvent]]:
    stmt = (
        select(Proposal, Customer, LifeEvent)
        .join(Customer, col(Customer.id) == Proposal.customer_id)
        .join(LifeEvent, col(LifeEvent.id) == Proposal.event_id)
        .where(
            Proposal.team_id == team_id,
            col(Proposal.status).in_(("approved", "auto_approved")),
            col(Proposal.created_at) >= since,
            col(Proposal.created_at) < until,
        )
        .order_by(col(Proposal.created_at).desc())
        .limit(limit)
    )
    return [(p, c, e) for p, c, e in session.exec(stmt).all()]


def recurring_on(
    *, session: Session, team_id: str, month_days: set[int]
) -> list[tuple[LifeEvent, Customer]]:
    """Recurring events whose month*100+day is in `month_days` (e.g. 1125 for 25 Nov)."""
    mmdd = extract("month", LifeEvent.event_date) * 100 + extract("day", LifeEvent.event_date)
    stmt = (
        select(LifeEvent, Customer)
        .join(Customer, col(Customer.id) == LifeEvent.customer_id)
        .where(LifeEvent.team_id == team_id, LifeEvent.recurring == True, mmdd.in_(month_days))  # noqa: E712
        .limit(200)
    )
    return [(e, c) for e, c in session.exec(stmt).all()]
