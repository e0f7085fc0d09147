"""Approve, reject, cancel and expire a pending proposal: one winner, one ledger row."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from perks import notetasks
from perks.context import Actor, Ctx, role_of
from perks.errors import AlreadyDecided, InvalidInput, NotAllowed, NotFound
from perks.proposals import Status
from perks.roles import effective_role, require_can_decide
from storage.models import Customer, LifeEvent, NoteTask, Proposal
from storage.repositories import audit, ledger, proposals

REASON_MAX = 1000
EXPIRE_AFTER = timedelta(hours=72)
SYSTEM = "perkbot"  # the actor recorded for what the bot does on its own


@dataclass(frozen=True)
class FirstDecision:
    """A plain copy of who decided first: ORM rows expire when the transaction rolls back."""

    proposal_id: int
    status: str
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


class AlreadyDecidedProposal(AlreadyDecided):
    """Someone decided first; says who and when, and carries it for the Slack layer."""

    def __init__(self, proposal: Proposal) -> None:
        self.first = FirstDecision(
            proposal.id or 0,
            proposal.status,
            proposal.decided_by,
            proposal.decided_at,
            proposal.decision_reason,
        )
        who = "the bot" if proposal.decided_by in (None, SYSTEM) else f"<@{proposal.decided_by}>"
        when = f" on {proposal.decided_at:%d %b %Y at %H:%M} UTC" if proposal.decided_at else ""
        super().__init__(f"This perk was already {_past(proposal.status)} by {who}{when}.")


def _past(status: str) -> str:
    return {Status.AUTO_APPROVED: "auto-approved"}.get(status, status)


@dataclass(frozen=True)
class Decided:
    proposal: Proposal
    customer: Customer
    event: LifeEvent | None
    note_task: NoteTask | None


# Raises if the decision is not allowed, given the proposal and the decider's stored role.
Check = Callable[[Proposal, str | None], None]


def _decide(
    ctx: Ctx,
    actor: Actor,
    proposal_id: int,
    *,
    status: Status,
    entry: str,
    check: Check,
    now: datetime,
    reason: str | None = None,
) -> Decided:
    def work(session: Session) -> Decided:
        found = proposals.to_decide(
            session=session, team_id=actor.team_id, proposal_id=proposal_id, decider=actor.user_id
        )
        if found is None:
            raise NotFound("That proposal does not exist in this workspace.")
        check(found.proposal, found.decider_role)
        if found.proposal.status != Status.PENDING:
            raise AlreadyDecidedProposal(found.proposal)
        changes = {
            "status": status.value,
            "decided_by": actor.user_id,
            "decided_at": now,
            "decision_reason": reason,
        }
        won = proposals.decide_if_pending(
            session=session, team_id=actor.team_id, proposal_id=proposal_id, **changes
        )
        if not won:  # decided between our read and our update: say by whom
            again = proposals.get(session=session, team_id=actor.team_id, proposal_id=proposal_id)
            assert again is not None
            raise AlreadyDecidedProposal(again)
        proposal = proposals.decided(found.proposal, changes)
        ledger.append(session=session, proposal=proposal, entry=entry, at=now)
        audit.record(
            session=session,
            team_id=actor.team_id,
            actor=actor.user_id,
            action=f"proposal.{status.value}",
            subject=f"proposal:{proposal_id}",
            at=now,
        )
        return _outcome(session, found, now)

    return ctx.db.run(work)


def _outcome(session: Session, found: proposals.ToDecide, now: datetime) -> Decided:
    proposal, customer, event, ws = found.proposal, found.customer, found.event, found.workspace
    assert customer is not None
    task = None
    if proposal.status == Status.APPROVED and proposal.handwritten_note and event is not None:
        task = notetasks.create(
            session,
            ws,
            rep_id=proposal.rep_user_id,
            customer=customer,
            event=event,
            proposal_id=proposal.id,
            rep_words=proposal.note_idea,
            now=now,
            rep_tz=found.rep_timezone or ws.timezone,
        )
    return Decided(proposal, customer, event, task)


def _approver_check(ctx: Ctx, actor: Actor) -> Check:
    def check(proposal: Proposal, stored_role: str | None) -> None:
        role = effective_role(stored_role, actor.user_id, ctx.admins)
        require_can_decide(role, actor.user_id, proposal.rep_user_id)

    return check


def approve(ctx: Ctx, actor: Actor, proposal_id: int, *, now: datetime) -> Decided:
    return _decide(
        ctx,
        actor,
        proposal_id,
        status=Status.APPROVED,
        entry=ledger.COMMIT,
        check=_approver_check(ctx, actor),
        now=now,
    )


def reject(ctx: Ctx, actor: Actor, proposal_id: int, *, reason: str, now: datetime) -> Decided:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Reason is required to reject a perk.", field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"Reason must be at most {REASON_MAX} characters.", field="reason")
    return _decide(
        ctx,
        actor,
        proposal_id,
        status=Status.REJECTED,
        entry=ledger.RELEASE,
        check=_approver_check(ctx, actor),
        now=now,
        reason=reason,
    )


def cancel(ctx: Ctx, actor: Actor, proposal_id: int, *, now: datetime) -> Decided:
    def own(proposal: Proposal, _role: str | None) -> None:
        if proposal.rep_user_id != actor.user_id:
            raise NotAllowed("Only the rep who proposed this perk can cancel it.")

    return _decide(
        ctx, actor, proposal_id, status=Status.CANCELLED, entry=ledger.RELEASE, check=own, now=now
    )


def expire(ctx: Ctx, team_id: str, proposal_id: int, *, now: datetime) -> Decided | None:
    """Expire a proposal pending for 72 h. None if it was decided meanwhile or is too young."""

    def old_enough(proposal: Proposal, _role: str | None) -> None:
        if now - proposal.created_at < EXPIRE_AFTER:
            raise NotAllowed("This proposal has not been pending for 72 hours yet.")

    try:
        return _decide(
            ctx,
            Actor(team_id, SYSTEM),
            proposal_id,
            status=Status.EXPIRED,
            entry=ledger.RELEASE,
            check=old_enough,
            now=now,
        )
    except (AlreadyDecided, NotAllowed):
        return None


def check_can_decide(ctx: Ctx, actor: Actor, proposal_id: int) -> None:
    """Before opening the Reject modal: refuse early what the decision would refuse."""

    def work(session: Session) -> None:
        found = proposals.get(session=session, team_id=actor.team_id, proposal_id=proposal_id)
        if found is None:
            raise NotFound("That proposal does not exist in this workspace.")
        require_can_decide(role_of(ctx, session, actor), actor.user_id, found.rep_user_id)
        if found.status != Status.PENDING:
            raise AlreadyDecidedProposal(found)

    ctx.db.run(work, write=False)
