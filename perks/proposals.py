"""Proposing a perk: validate, decide (SPEC §2 order), reserve, maybe auto-approve."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from perks import notetasks
from perks.approval import Decision, Outcome, Situation, decide
from perks.budgets import Balance
from perks.catalog import CatalogItem
from perks.context import Actor, Ctx, current_period, limits_of, rep_balance, team_balance
from perks.errors import InvalidInput, NotFound, Refused
from perks.kinds import EventKind, label
from perks.proposal_form import ProposalForm, amount_of, catalog_item, texts
from perks.roles import ApprovalRoute
from perks.routing import people_for_route, route_among
from storage.models import Customer, LifeEvent, Member, NoteTask, Proposal, Workspace
from storage.repositories import audit, customers, events, ledger, notes, proposals, workspaces

CUSTOMER_CAP_WINDOW = timedelta(days=365)


class Status(StrEnum):
    AUTO_APPROVED = "auto_approved"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Proposed:
    proposal: Proposal
    customer: Customer
    event: LifeEvent
    decision: Decision
    route: ApprovalRoute | None  # where the approval request goes, when pending
    note_task: NoteTask | None
    team: Balance
    rep: Balance
    replayed: bool = False


def propose_perk(ctx: Ctx, actor: Actor, form: ProposalForm, *, now: datetime) -> Proposed:
    description, note_idea = texts(form)

    def work(session: Session) -> Proposed:
        if form.client_key:
            replay = proposals.by_client_key(
                session=session, team_id=actor.team_id, client_key=form.client_key
            )
            if replay is not None:
                return _replayed(ctx, session, replay, now)
        # What needs no lock is read first: on PostgreSQL the team's row lock then
        # covers only the budget check and the inserts.
        event, customer = _event_and_customer(session, actor.team_id, form.event_id)
        item = _item(ctx, form.item_id, EventKind(event.kind))
        people = people_for_route(session, actor.team_id, actor.user_id)
        ws = workspaces.lock_settings(session=session, team_id=actor.team_id, now=now)
        return _submit(
            ctx,
            session,
            ws,
            actor,
            form,
            event,
            customer,
            item,
            description,
            note_idea,
            people,
            now,
        )

    return ctx.db.run(work)


def _submit(
    ctx: Ctx,
    session: Session,
    ws: Workspace,
    actor: Actor,
    form: ProposalForm,
    event: LifeEvent,
    customer: Customer,
    item: CatalogItem | None,
    description: str,
    note_idea: str,
    people: list[Member],
    now: datetime,
) -> Proposed:
    free_note = item is not None and item.id == ctx.catalog.note_item.id
    amount = 0 if free_note else amount_of(form.amount, item, ws.currency)
    period = current_period(ws, now)
    sums = ledger.proposal_sums(
        session=session,
        team_id=ws.team_id,
        period_start=period.start,
        rep_user_id=actor.user_id,
        customer_id=customer.id or 0,
        since=now - CUSTOMER_CAP_WINDOW,
    )
    team = Balance(ws.team_budget, sums.team.committed, sums.team.reserved)
    rep = Balance(ws.rep_allowance, sums.rep.committed, sums.rep.reserved)
    decision = decide(
        Situation(
            amount=amount,
            free_note=free_note,
            limits=limits_of(ws),
            team=team,
            rep=rep,
            customer_used=sums.customer.committed + sums.customer.reserved,
            no_gifts_reason=(customer.no_gifts_reason or "no reason given")
            if customer.no_gifts
            else None,
            currency=ws.currency,
        )
    )
    if not description:
        if item is None:
            raise InvalidInput("Description is required for a custom perk.", field="description")
        description = item.name
    auto = decision.outcome is Outcome.AUTO_APPROVED
    proposal = proposals.create(
        session=session,
        team_id=ws.team_id,
        customer_id=customer.id,
        event_id=event.id,
        rep_user_id=actor.user_id,
        item_id=item.id if item else None,
        description=description,
        amount=amount,
        currency=ws.currency,
        period_start=period.start,
        status=Status.AUTO_APPROVED if auto else Status.PENDING,
        approval_reasons=",".join(r.name for r in decision.reasons),
        handwritten_note=form.handwritten_note or free_note,
        note_idea=note_idea or None,
        created_at=now,
        decided_at=now if auto else None,
        client_key=form.client_key,
    )
    ledger.append(session=session, proposal=proposal, entry=ledger.RESERVE, at=now)
    task = None
    if auto:
        ledger.append(session=session, proposal=proposal, entry=ledger.COMMIT, at=now)
        if proposal.handwritten_note:
            rep_row = next((m for m in people if m.user_id == actor.user_id), None)
            task = notetasks.create(
                session,
                ws,
                rep_id=actor.user_id,
                customer=customer,
                event=event,
                proposal_id=proposal.id,
                rep_words=note_idea,
                now=now,
                rep_tz=(rep_row.timezone if rep_row else None) or ws.timezone,
            )
    audit.record(
        session=session,
        team_id=ws.team_id,
        actor=actor.user_id,
        action=f"proposal.{proposal.status}",
        subject=f"proposal:{proposal.id}",
        at=now,
        amount=amount,
        currency=ws.currency,
    )
    route = None if auto else route_among(ctx, ws, actor.user_id, people)
    # The balances after this proposal's rows, without reading them back: a reserve
    # adds to reserved; an auto-approval's reserve + commit moves it on to committed.
    return Proposed(
        proposal,
        customer,
        event,
        decision,
        route,
        task,
        team=_plus(team, amount, committed=auto),
        rep=_plus(rep, amount, committed=auto),
    )


def _plus(balance: Balance, amount: int, *, committed: bool) -> Balance:
    if committed:
        return replace(balance, committed=balance.committed + amount)
    return replace(balance, reserved=balance.reserved + amount)


def _event_and_customer(
    session: Session, team_id: str, event_id: int
) -> tuple[LifeEvent, Customer]:
    found = proposals.subject(session=session, team_id=team_id, event_id=event_id)
    if found is None:
        raise NotFound("That life event no longer exists.", field="event")
    event = found.event
    if event.kind == EventKind.SERVICE_RECOVERY and not event.resolved:
        raise Refused(
            "Mark the issue resolved before proposing a perk: "
            "a gift before the fix reads as a bribe.",
            field="event",
        )
    if found.customer is None:
        raise NotFound("That customer no longer exists.", field="customer")
    return event, found.customer


def _item(ctx: Ctx, item_id: str | None, kind: EventKind) -> CatalogItem | None:
    item = catalog_item(ctx, item_id)
    if item is not None and not item.suits(kind):
        raise InvalidInput(
            f"{item.name} is not offered for a {label(kind).lower()} event.", field="perk"
        )
    return item


def _replayed(ctx: Ctx, session: Session, proposal: Proposal, now: datetime) -> Proposed:
    """The same submission again (retry, double click): report the first outcome."""
    ws = workspaces.lock_settings(session=session, team_id=proposal.team_id, now=now)
    event, customer = _event_and_customer_any(session, proposal)
    period = current_period(ws, now)
    auto = proposal.status == Status.AUTO_APPROVED
    return Proposed(
        proposal,
        customer,
        event,
        Decision(Outcome.AUTO_APPROVED if auto else Outcome.PENDING),
        None,
        notes.for_proposal(session=session, team_id=proposal.team_id, proposal_id=proposal.id or 0),
        team_balance(session, ws, period),
        rep_balance(session, ws, period, proposal.rep_user_id),
        replayed=True,
    )


def _event_and_customer_any(session: Session, proposal: Proposal) -> tuple[LifeEvent, Customer]:
    event = events.get(session=session, team_id=proposal.team_id, event_id=proposal.event_id or 0)
    customer = customers.get(
        session=session, team_id=proposal.team_id, customer_id=proposal.customer_id
    )
    assert event is not None and customer is not None
    return event, customer
