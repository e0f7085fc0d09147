"""Read models for App Home, `/perk pending` and the pickers of the propose modal."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from perks.catalog import CatalogItem, suggestions
from perks.context import Actor, Ctx, current_period, rep_balance, role_of, workspace
from perks.customers import match_key
from perks.errors import NotFound
from perks.kinds import EventKind
from perks.overview import BudgetView, budget_in
from perks.roles import Role, is_approver
from storage.models import Customer, LifeEvent, NoteTask, Proposal
from storage.repositories import customers, events, notes, proposals

Item = tuple[Proposal, Customer, LifeEvent | None]


@dataclass(frozen=True)
class HomeData:
    role: Role
    budget: BudgetView
    notes: list[tuple[NoteTask, str]]  # with the customer's name
    my_pending: list[Item]
    recent_events: list[tuple[LifeEvent, Customer]]
    approvals: list[Item]  # for managers and admins: what they may decide


def _with_names(session: Session, team_id: str, rows: list[Proposal]) -> list[Item]:
    cust = customers.by_ids(session=session, team_id=team_id, ids={p.customer_id for p in rows})
    evts = events.by_ids(
        session=session, team_id=team_id, ids={p.event_id for p in rows if p.event_id}
    )
    return [(p, cust[p.customer_id], evts.get(p.event_id or 0)) for p in rows]


APPROVALS_SHOWN = 100  # App Home shows 8 and /perk pending pages; never load them all


def _approvals(ctx: Ctx, session: Session, actor: Actor, role: Role) -> list[Item]:
    if not is_approver(role):
        return []
    rows = proposals.pending(session=session, team_id=actor.team_id, limit=APPROVALS_SHOWN + 1)
    return _with_names(session, actor.team_id, [p for p in rows if p.rep_user_id != actor.user_id])


def approvals_waiting(ctx: Ctx, actor: Actor) -> list[Item]:
    """Pending proposals this person may decide (never their own), oldest first."""
    return ctx.db.run(lambda s: _approvals(ctx, s, actor, role_of(ctx, s, actor)), write=False)


def _open_notes(session: Session, actor: Actor) -> list[tuple[NoteTask, str]]:
    tasks = notes.open_for_rep(session=session, team_id=actor.team_id, rep_user_id=actor.user_id)
    names = customers.by_ids(
        session=session, team_id=actor.team_id, ids={t.customer_id for t in tasks}
    )
    return [(t, names[t.customer_id].name) for t in tasks]


def open_notes(ctx: Ctx, actor: Actor) -> list[tuple[NoteTask, str]]:
    return ctx.db.run(lambda s: _open_notes(s, actor), write=False)


def home(ctx: Ctx, actor: Actor, *, now: datetime) -> HomeData:
    """Everything App Home shows, read in one transaction."""

    def work(session: Session) -> HomeData:
        role = role_of(ctx, session, actor)
        pending = proposals.pending_of_rep(
            session=session, team_id=actor.team_id, rep_user_id=actor.user_id
        )
        recent = events.logged_by(session=session, team_id=actor.team_id, user_id=actor.user_id)
        names = customers.by_ids(
            session=session, team_id=actor.team_id, ids={e.customer_id for e in recent}
        )
        return HomeData(
            role=role,
            budget=budget_in(session, actor, now),
            notes=_open_notes(session, actor),
            my_pending=_with_names(session, actor.team_id, pending),
            recent_events=[(e, names[e.customer_id]) for e in recent],
            approvals=_approvals(ctx, session, actor, role),
        )

    return ctx.db.run(work, write=False)


def search_customers(ctx: Ctx, actor: Actor, query: str) -> list[Customer]:
    key = match_key(query)[:200]
    return ctx.db.run(
        lambda s: customers.search(session=s, team_id=actor.team_id, prefix=key, limit=100),
        write=False,
    )


@dataclass(frozen=True)
class CustomerEvents:
    customer: Customer
    events: list[LifeEvent]


def customer_events(ctx: Ctx, actor: Actor, customer_id: int) -> CustomerEvents:
    def work(session: Session) -> CustomerEvents:
        customer = customers.get(session=session, team_id=actor.team_id, customer_id=customer_id)
        if customer is None:
            raise NotFound("That customer no longer exists.", field="customer")
        return CustomerEvents(
            customer,
            events.for_customer(
                session=session, team_id=actor.team_id, customer_id=customer_id, limit=25
            ),
        )

    return ctx.db.run(work, write=False)


@dataclass(frozen=True)
class PerkChoices:
    currency: str
    suggested: list[CatalogItem]
    others: list[CatalogItem]


def perk_choices(
    ctx: Ctx, actor: Actor, event_id: int | None, *, now: datetime, query: str = ""
) -> PerkChoices:
    """Catalog items for an event: those that fit the rep's allowance first, cheapest first."""

    def work(session: Session) -> PerkChoices:
        ws = workspace(session, actor, now)
        event = (
            events.get(session=session, team_id=actor.team_id, event_id=event_id)
            if event_id
            else None
        )
        kind = EventKind(event.kind) if event else EventKind.OTHER
        left = rep_balance(session, ws, current_period(ws, now), actor.user_id).remaining
        suggested = suggestions(ctx.catalog, kind, ws.currency, left)
        others = [i for i in ctx.catalog.active_items if i.suits(kind) and i not in suggested]
        q = query.casefold().strip()
        keep = (lambda i: q in i.name.casefold()) if q else (lambda i: True)
        return PerkChoices(
            ws.currency, [i for i in suggested if keep(i)], [i for i in others if keep(i)]
        )

    return ctx.db.run(work)


def customer_name(ctx: Ctx, team_id: str, customer_id: int) -> str:
    found = ctx.db.run(
        lambda s: customers.get(session=s, team_id=team_id, customer_id=customer_id), write=False
    )
    return found.name if found else "this customer"


def note_task(ctx: Ctx, actor: Actor, task_id: int) -> NoteTask:
    found = ctx.db.run(
        lambda s: notes.get(session=s, team_id=actor.team_id, task_id=task_id), write=False
    )
    if found is None:
        raise NotFound("That note task no longer exists.")
    return found
