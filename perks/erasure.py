"""`/perk forget NAME` (SPEC §3, §5): erase a customer's personal data, keep the money.

The customer row and everything pointing at it stay, stripped of typed text, so the
ledger still sums to the same budgets; the audit entry names the customer by id only.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from perks.context import Actor, Ctx, role_of
from perks.customers import clean_name, match_key
from perks.errors import NotFound
from perks.roles import require_admin
from storage.repositories import audit, customers, erasure


@dataclass(frozen=True)
class Candidate:
    """A customer an admin may forget: shown (to that admin only) before they confirm."""

    customer_id: int
    name: str
    company: str


@dataclass(frozen=True)
class Forgotten:
    customer_id: int
    events: int
    proposals: int
    notes: int


def candidates(ctx: Ctx, actor: Actor, name: str) -> list[Candidate]:
    """Customers of that name (one per company) not yet forgotten; admins only."""
    key = match_key(clean_name(name))

    def work(session: Session) -> list[Candidate]:
        require_admin(role_of(ctx, session, actor), "forget a customer")
        found = customers.by_name(session=session, team_id=actor.team_id, name_key=key)
        return [Candidate(c.id or 0, c.name, c.company) for c in found if c.forgotten_at is None]

    return ctx.db.run(work, write=False)


def forget(ctx: Ctx, actor: Actor, customer_id: int, *, now: datetime) -> Forgotten:
    def work(session: Session) -> Forgotten:
        require_admin(role_of(ctx, session, actor), "forget a customer")
        customer = customers.get(session=session, team_id=actor.team_id, customer_id=customer_id)
        if customer is None or customer.forgotten_at is not None:
            raise NotFound("That customer does not exist here or was already forgotten.")
        erased = erasure.erase_customer(
            session=session, team_id=actor.team_id, customer_id=customer_id, now=now
        )
        audit.record(
            session=session,
            team_id=actor.team_id,
            actor=actor.user_id,
            action="customer.forgotten",
            subject=f"customer:{customer_id}",
            at=now,
            events=erased.events,
            proposals=erased.proposals,
            notes=erased.notes,
        )
        return Forgotten(customer_id, erased.events, erased.proposals, erased.notes)

    return ctx.db.run(work)
