"""Aggregates for the weekly digest: a fixed number of queries, whatever the team size."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Subquery, case, extract, func
from sqlmodel import Session, col, select

from storage.models import Customer, LedgerEntry, LifeEvent, NoteTask, Proposal


@dataclass(frozen=True)
class RepSpend:
    rep_user_id: str
    committed: int
    reserved: int


def rep_spend(*, session: Session, team_id: str, period_start: date) -> list[RepSpend]:
    """Every rep's spend this period, biggest first."""
    rows = _period_ledger(session, team_id, period_start)
    committed = func.sum(case((rows.c.entry == "commit", rows.c.amount), else_=0))
    reserved = func.sum(
        case(
            (rows.c.entry == "reserve", rows.c.amount),
            (rows.c.entry.in_(("release", "commit")), -rows.c.amount),
            else_=0,
        )
    )
    stmt = select(rows.c.rep_user_id, committed, reserved).group_by(rows.c.rep_user_id)
    spend = [RepSpend(r, int(c or 0), int(v or 0)) for r, c, v in session.exec(stmt).all()]
    # Sorted here: PostgreSQL cannot ORDER BY an expression of the output's aliases, and
    # repeating the sums there would have them computed twice (their parameters differ).
    return sorted(spend, key=lambda s: (-(s.committed + s.reserved), s.rep_user_id))


def _period_ledger(session: Session, team_id: str, period_start: date) -> Subquery:
    """The period's ledger as (rep_user_id, entry, amount) rows.

    SQLite evaluates a CASE on each of the period's entries slowly: there, the entries
    are first summed per rep and kind (a bare sum walking ix_ledger_team_period_rep in
    order), so the CASEs run on three rows per rep. PostgreSQL's hash aggregate is
    faster on the plain rows (the planner flattens this subquery).
    """
    where = (LedgerEntry.team_id == team_id, LedgerEntry.period_start == period_start)
    rep, entry = LedgerEntry.rep_user_id, LedgerEntry.entry
    if session.get_bind().dialect.name != "sqlite":
        return select(rep, entry, LedgerEntry.amount).where(*where).subquery()
    summed = func.sum(LedgerEntry.amount).label("amount")
    return select(rep, entry, summed).where(*where).group_by(rep, entry).subquery()


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
    *, session: Session, team_id: str, since: datetime, until: datetime, statuses: Sequence[str]
) -> dict[str, tuple[int, int]]:
    """(count, amount) per status, of proposals made in the window.

    Naming every status makes it a range of ix_proposals_team_status_created per status,
    read in status order: no sort of the week's proposals to group them.
    """
    stmt = (
        select(Proposal.status, func.count(), func.coalesce(func.sum(Proposal.amount), 0))
        .where(
            Proposal.team_id == team_id,
            col(Proposal.status).in_(statuses),
            col(Proposal.created_at) >= since,
            col(Proposal.created_at) < until,
        )
        .group_by(Proposal.status)
    )
    return {status: (int(n), int(total)) for status, n, total in session.exec(stmt).all()}


def note_counts(
    *, session: Session, team_id: str, since: datetime, until: datetime, today: date
) -> tuple[int, int]:
    """(notes sent in the window, open notes past their due date): two ranges of
    ix_note_tasks_team_status, in one statement."""

    def count(status: str, *window: Any) -> Any:
        where = (NoteTask.team_id == team_id, NoteTask.status == status, *window)
        return select(func.count()).select_from(NoteTask).where(*where).scalar_subquery()

    sent = count("sent", col(NoteTask.done_at) >= since, col(NoteTask.done_at) < until)
    overdue = count("open", col(NoteTask.due_date) < today)
    row = session.exec(select(sent, overdue)).one()
    return int(row[0]), int(row[1])


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
