"""Customers: case-insensitive matching, the no-gifts flag, history."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from perks.context import Actor, Ctx, role_of
from perks.errors import InvalidInput, NotFound
from perks.roles import require_manager
from storage.models import Customer, LifeEvent, NoteTask, Proposal
from storage.repositories import audit, customers, events, notes, proposals, workspaces

NAME_MAX = 200
REASON_MAX = 500


def match_key(text: str) -> str:
    """Case- and spacing-insensitive key: 'ada  LOVELACE' matches 'Ada Lovelace'."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def clean_name(name: str, *, field: str = "customer") -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Customer is required.", field=field)
    if len(name) > NAME_MAX:
        raise InvalidInput(f"Customer must be at most {NAME_MAX} characters.", field=field)
    return name


def clean_company(company: str | None) -> str:
    company = " ".join((company or "").split())
    if len(company) > NAME_MAX:
        raise InvalidInput(f"Company must be at most {NAME_MAX} characters.", field="company")
    return company


def find_or_create(
    session: Session, team_id: str, name: str, company: str, now: datetime
) -> Customer:
    found = customers.find(
        session=session, team_id=team_id, name_key=match_key(name), company_key=match_key(company)
    )
    if found is not None:
        return found
    return customers.add(
        session=session,
        customer=Customer(
            team_id=team_id,
            name=name,
            company=company,
            name_key=match_key(name),
            company_key=match_key(company),
            created_at=now,
        ),
    )


def set_no_gifts(
    ctx: Ctx, actor: Actor, customer_id: int, *, flag: bool, reason: str | None, now: datetime
) -> Customer:
    """Managers and admins flag a customer no gifts (with a reason) or allow gifts again."""
    reason = (reason or "").strip()
    if flag and not reason:
        raise InvalidInput("Reason is required.", field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"Reason must be at most {REASON_MAX} characters.", field="reason")

    def work(session: Session) -> Customer:
        require_manager(role_of(ctx, session, actor), "change a customer's gift flag")
        workspaces.ensure(session=session, team_id=actor.team_id, now=now)
        customer = customers.get(session=session, team_id=actor.team_id, customer_id=customer_id)
        if customer is None:
            raise NotFound("That customer no longer exists.")
        customer.no_gifts = flag
        customer.no_gifts_reason = reason if flag else None
        session.add(customer)
        audit.record(
            session=session,
            team_id=actor.team_id,
            actor=actor.user_id,
            action="customer.no_gifts" if flag else "customer.allow_gifts",
            subject=f"customer:{customer_id}",
            at=now,
        )
        return customer

    return ctx.db.run(work)


@dataclass(frozen=True)
class History:
    customer: Customer
    events: list[LifeEvent]
    proposals: list[Proposal]
    notes: list[NoteTask]


def history(ctx: Ctx, actor: Actor, name: str) -> list[History]:
    """Every customer of that name in the team (one per company), with their history."""
    key = match_key(clean_name(name))

    def work(session: Session) -> list[History]:
        found = customers.by_name(session=session, team_id=actor.team_id, name_key=key)
        return [_history(session, actor.team_id, c) for c in found]

    return ctx.db.run(work, write=False)


def _history(session: Session, team_id: str, customer: Customer) -> History:
    cid = customer.id or 0
    return History(
        customer=customer,
        events=events.for_customer(session=session, team_id=team_id, customer_id=cid),
        proposals=proposals.for_customer(session=session, team_id=team_id, customer_id=cid),
        notes=notes.for_customer(session=session, team_id=team_id, customer_id=cid),
    )


def check_can_flag(ctx: Ctx, actor: Actor) -> None:
    """Before opening the No gifts modal: only managers and admins may flag."""
    ctx.db.run(
        lambda s: require_manager(role_of(ctx, s, actor), "change a customer's gift flag"),
        write=False,
    )
