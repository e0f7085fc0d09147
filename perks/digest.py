"""The weekly digest's content (SPEC §2), built from aggregates; the same for the
Monday post and the `/perk digest` preview."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from perks.budgets import Balance
from perks.calendar import Period, at_local_time, local_date, next_occurrence, week_start
from perks.context import Ctx, current_period
from perks.proposals import Status
from storage.models import Customer, LifeEvent, Proposal
from storage.repositories import digest as q
from storage.repositories import members, outbox, workspaces

TOP_REPS = 10
UPCOMING_DAYS = 14


@dataclass(frozen=True)
class RepLine:
    rep_user_id: str
    balance: Balance


@dataclass(frozen=True)
class Digest:
    team_id: str
    currency: str
    week_start: date  # the Monday this digest is for (workspace time)
    period: Period
    team: Balance
    reps: list[RepLine]  # top reps by spend
    more_reps: int
    events_by_kind: dict[str, int]  # last week
    perks_by_status: dict[str, tuple[int, int]]  # last week: (count, amount)
    notes_sent: int
    notes_overdue: int
    oldest_pending: list[tuple[Proposal, Customer]]
    highlights: list[tuple[Proposal, Customer, LifeEvent]]
    upcoming: list[tuple[date, LifeEvent, Customer]]
    problems: list[str] = field(default_factory=list)  # deliveries that failed for good


def build_digest(ctx: Ctx, team_id: str, *, now: datetime, manager: str | None = None) -> Digest:
    """The digest as of `now`; for `manager`, the spend lines show only their own reps."""

    def work(session: Session) -> Digest:
        ws = workspaces.ensure(session=session, team_id=team_id, now=now)
        monday = week_start(now, ws.timezone)
        until = at_local_time(monday, 0, 0, ws.timezone)
        since = at_local_time(monday - timedelta(days=7), 0, 0, ws.timezone)
        period = current_period(ws, now)
        spend = q.rep_spend(session=session, team_id=team_id, period_start=period.start)
        # The team's totals are the reps' sums: no second scan of the period's ledger.
        team = Balance(
            ws.team_budget, sum(r.committed for r in spend), sum(r.reserved for r in spend)
        )
        if manager is not None:
            mine = {
                m.user_id
                for m in members.reports_of(
                    session=session, team_id=team_id, manager_user_id=manager
                )
            }
            spend = [r for r in spend if r.rep_user_id in mine]
        today = local_date(now, ws.timezone)
        sent, overdue = q.note_counts(
            session=session, team_id=team_id, since=since, until=until, today=today
        )
        return Digest(
            team_id=team_id,
            currency=ws.currency,
            week_start=monday,
            period=period,
            team=team,
            reps=[
                RepLine(r.rep_user_id, Balance(ws.rep_allowance, r.committed, r.reserved))
                for r in spend[:TOP_REPS]
            ],
            more_reps=max(0, len(spend) - TOP_REPS),
            events_by_kind=q.events_by_kind(
                session=session, team_id=team_id, since=since, until=until
            ),
            perks_by_status=q.proposals_by_status(
                session=session,
                team_id=team_id,
                since=since,
                until=until,
                statuses=[s.value for s in Status],
            ),
            notes_sent=sent,
            notes_overdue=overdue,
            oldest_pending=q.oldest_pending(session=session, team_id=team_id),
            highlights=q.highlights(session=session, team_id=team_id, since=since, until=until),
            upcoming=_upcoming(session, team_id, today),
            problems=[
                f"{d.kind} to {d.target}: {d.last_error}"
                for d in outbox.failed_since(session=session, team_id=team_id, since=since)
            ],
        )

    return ctx.db.run(work, write=False)


def _upcoming(
    session: Session, team_id: str, today: date
) -> list[tuple[date, LifeEvent, Customer]]:
    days = [today + timedelta(days=i) for i in range(UPCOMING_DAYS + 1)]
    wanted = {d.month * 100 + d.day for d in days}
    if 228 in wanted and not any(d.month == 2 and d.day == 29 for d in days):
        wanted.add(229)  # 29 February birthdays fall on the 28th in common years
    found = q.recurring_on(session=session, team_id=team_id, month_days=wanted)
    dated = [(next_occurrence(e.event_date, today), e, c) for e, c in found]
    return sorted((x for x in dated if x[0] <= days[-1]), key=lambda x: (x[0], x[1].id or 0))
