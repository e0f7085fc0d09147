"""Bookkeeping of what Perkbot tells people, so each message goes out once.

The Slack layer claims a delivery here (a short transaction), then calls Slack
with no transaction open, then records what Slack answered.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from perks.context import Ctx
from perks.decisions import Decided
from perks.proposals import Status
from perks.roles import ApprovalRoute
from perks.routing import route_for
from storage.models import Customer, LifeEvent, NoteTask, Proposal
from storage.repositories import (
    customers,
    deliveries,
    events,
    notes,
    outbox,
    proposals,
    workspaces,
)


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    customer: Customer
    event: LifeEvent | None
    note_task: NoteTask | None = None


def _view(session: Session, p: Proposal) -> ProposalView:
    customer = customers.get(session=session, team_id=p.team_id, customer_id=p.customer_id)
    event = (
        events.get(session=session, team_id=p.team_id, event_id=p.event_id) if p.event_id else None
    )
    assert customer is not None
    task = notes.for_proposal(session=session, team_id=p.team_id, proposal_id=p.id or 0)
    return ProposalView(p, customer, event, task)


def proposal_view(ctx: Ctx, team_id: str, proposal_id: int) -> ProposalView | None:
    def work(session: Session) -> ProposalView | None:
        p = proposals.get(session=session, team_id=team_id, proposal_id=proposal_id)
        return _view(session, p) if p is not None else None

    return ctx.db.run(work, write=False)


def claim_approval_request(
    ctx: Ctx, team_id: str, proposal_id: int, *, now: datetime
) -> ApprovalRoute | None:
    """The route for a pending proposal's request, once; None if already sent or not pending."""

    def work(session: Session) -> ApprovalRoute | None:
        p = proposals.get(session=session, team_id=team_id, proposal_id=proposal_id)
        if p is None or p.status != Status.PENDING:
            return None
        if not deliveries.claim(
            session=session,
            team_id=team_id,
            proposal_id=proposal_id,
            column="requested_at",
            now=now,
        ):
            return None
        ws = workspaces.ensure(session=session, team_id=team_id, now=now)
        return route_for(ctx, session, ws, p.rep_user_id)

    return ctx.db.run(work)


def record_approval_message(
    ctx: Ctx, team_id: str, proposal_id: int, channel: str, ts: str
) -> None:
    ctx.db.run(
        lambda s: deliveries.add_approval_message(
            session=s, team_id=team_id, proposal_id=proposal_id, channel=channel, ts=ts
        )
    )


def decided_and_copies(
    ctx: Ctx, team_id: str, proposal_id: int
) -> tuple[ProposalView, list[tuple[str, str]]] | None:
    """The proposal and every posted copy of its approval request (channel, ts), in one read."""

    def work(session: Session) -> tuple[ProposalView, list[tuple[str, str]]] | None:
        p = proposals.get(session=session, team_id=team_id, proposal_id=proposal_id)
        if p is None:
            return None
        copies = deliveries.approval_messages(
            session=session, team_id=team_id, proposal_id=proposal_id
        )
        return _view(session, p), [(m.channel, m.ts) for m in copies]

    return ctx.db.run(work, write=False)


def claim_decision_notice(ctx: Ctx, team_id: str, proposal_id: int, *, now: datetime) -> bool:
    """True once for a decided proposal, for telling the rep; False if told already or
    undecided."""

    def work(session: Session) -> bool:
        p = proposals.get(session=session, team_id=team_id, proposal_id=proposal_id)
        if p is None or p.status in (Status.PENDING, Status.AUTO_APPROVED):
            return False
        return deliveries.claim(
            session=session, team_id=team_id, proposal_id=proposal_id, column="notified_at", now=now
        )

    return ctx.db.run(work)


def note_reminders(ctx: Ctx, delivery_ids: Collection[int]) -> dict[int, tuple[NoteTask, str]]:
    """What each claimed note reminder tells (its task, the customer's name), in one read."""
    rows = ctx.db.run(
        lambda s: outbox.note_reminders(session=s, delivery_ids=delivery_ids), write=False
    )
    return {d: (task, name or "this customer") for d, task, name in rows}


def as_decided(view: ProposalView) -> Decided:
    return Decided(view.proposal, view.customer, view.event, view.note_task)


def first_delivery(ctx: Ctx, team_id: str, event_id: str, *, now: datetime) -> bool:
    return ctx.db.run(
        lambda s: deliveries.first_delivery(session=s, team_id=team_id, event_id=event_id, now=now)
    )
