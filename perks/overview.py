"""Read-only views of money: the rep's allowance and the team budget this period."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from perks.budgets import Balance
from perks.calendar import Period
from perks.context import Actor, Ctx, current_period, rep_balance, team_balance
from storage.models import Workspace
from storage.repositories import workspaces


@dataclass(frozen=True)
class BudgetView:
    period: Period
    currency: str
    rep: Balance
    team: Balance


def settings_of(session: Session, team_id: str, now: datetime) -> Workspace:
    """The workspace's settings; the defaults (not stored) for a team never seen before."""
    return workspaces.get(session=session, team_id=team_id) or Workspace(
        team_id=team_id, created_at=now, updated_at=now
    )


def budget_in(session: Session, actor: Actor, now: datetime) -> BudgetView:
    ws = settings_of(session, actor.team_id, now)
    period = current_period(ws, now)
    return BudgetView(
        period=period,
        currency=ws.currency,
        rep=rep_balance(session, ws, period, actor.user_id),
        team=team_balance(session, ws, period),
    )


def budget(ctx: Ctx, actor: Actor, *, now: datetime) -> BudgetView:
    return ctx.db.run(lambda s: budget_in(s, actor, now), write=False)
