"""What every use case needs besides its arguments: the database, catalog and admins."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from perks.budgets import Balance, Limits
from perks.calendar import BudgetPeriod, Period, period_for
from perks.catalog import Catalog
from perks.roles import Role, effective_role
from storage.db import Database
from storage.models import Workspace
from storage.repositories import ledger, members, workspaces


@dataclass(frozen=True)
class Ctx:
    db: Database
    catalog: Catalog
    admins: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Actor:
    """Who acts, and in which Slack team: every query is scoped by `team_id`."""

    team_id: str
    user_id: str


def role_of(ctx: Ctx, session: Session, actor: Actor) -> Role:
    stored = members.role(session=session, team_id=actor.team_id, user_id=actor.user_id)
    return effective_role(stored, actor.user_id, ctx.admins)


def limits_of(ws: Workspace) -> Limits:
    return Limits(
        team_budget=ws.team_budget,
        rep_allowance=ws.rep_allowance,
        auto_approve_limit=ws.auto_approve_limit,
        customer_cap=ws.customer_cap,
        max_perk=ws.max_perk,
    )


def current_period(ws: Workspace, now: datetime) -> Period:
    return period_for(now, ws.timezone, BudgetPeriod(ws.budget_period))


def team_balance(session: Session, ws: Workspace, period: Period) -> Balance:
    sums = ledger.period_sums(session=session, team_id=ws.team_id, period_start=period.start)
    return Balance(ws.team_budget, sums.committed, sums.reserved)


def rep_balance(session: Session, ws: Workspace, period: Period, rep_id: str) -> Balance:
    sums = ledger.period_sums(
        session=session, team_id=ws.team_id, period_start=period.start, rep_user_id=rep_id
    )
    return Balance(ws.rep_allowance, sums.committed, sums.reserved)


def workspace(session: Session, actor: Actor, now: datetime) -> Workspace:
    return workspaces.ensure(session=session, team_id=actor.team_id, now=now)


def rep_timezone(session: Session, ws: Workspace, user_id: str) -> str:
    """The rep's Slack timezone when known, else the workspace's."""
    return members.timezone(session=session, team_id=ws.team_id, user_id=user_id) or ws.timezone
