"""Read-only views of money: the rep's allowance and the team budget this period."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from perks.budgets import Balance
from perks.calendar import Period
from perks.context import Actor, Ctx, current_period, rep_balance, team_balance, workspace


@dataclass(frozen=True)
class BudgetView:
    period: Period
    currency: str
    rep: Balance
    team: Balance


def budget(ctx: Ctx, actor: Actor, *, now: datetime) -> BudgetView:
    def work(session: Session) -> BudgetView:
        ws = workspace(session, actor, now)
        period = current_period(ws, now)
        return BudgetView(
            period=period,
            currency=ws.currency,
            rep=rep_balance(session, ws, period, actor.user_id),
            team=team_balance(session, ws, period),
        )

    return ctx.db.run(work)
