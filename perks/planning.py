"""What the scheduled jobs owe people, planned into the outbox exactly once.

Each `plan_*` is one idempotent pass as of `now`: it finds what has come due and
adds deliveries with unique keys, so running it twice, or in two processes at
once, plans each message once. Sending is the delivery pass's job.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from perks import decisions
from perks.calendar import (
    REMINDER_HOUR,
    at_local_time,
    heads_up_date,
    local_date,
    next_business_day,
    next_occurrence,
    week_start,
)
from perks.context import Ctx, rep_timezone
from perks.notes import MAX_OVERDUE_REMINDERS
from perks.routing import route_for
from storage.models import DigestRun, NoteTask, Workspace
from storage.repositories import digest as digest_q
from storage.repositories import members, outbox, proposals, workspaces
from storage.repositories import schedule as q

REPING_AFTER = timedelta(hours=24)
HEADS_UP_DAYS = 7
BATCH = 500


class Kind:
    NOTE_REMINDER = "note_reminder"
    REPING = "reping"
    EXPIRED = "expired"
    RECURRING = "recurring"
    DIGEST = "digest"


def _row(
    team_id: str,
    key: str,
    kind: str,
    target: str,
    due: datetime,
    now: datetime,
    subject: int | None,
) -> dict[str, object]:
    """A new outbox row, as planned (statuses and counters take their defaults)."""
    return {
        "team_id": team_id,
        "key": key,
        "kind": kind,
        "target": target,
        "subject_id": subject,
        "next_attempt_at": due,
        "created_at": now,
    }


def plan_reminders(ctx: Ctx, now: datetime) -> int:
    """Note reminders due now: on the due day at 10:00 (rep's time), then each business
    day while overdue, at most 3 times; after that only the digest shows it."""

    zones: dict[tuple[str, str], str] = {}  # each rep's timezone, looked up once a pass

    def work(session: Session) -> int:
        tasks = q.notes_to_remind(session=session, now=now, limit=BATCH)
        # Before any task changes, so these lookups do not flush them one by one.
        for rep in {(t.team_id, t.rep_user_id) for t in tasks} - zones.keys():
            zones[rep] = _tz(session, *rep, now)
        planned = []
        for task in tasks:
            key = f"note:{task.id}:{task.remind_at:%Y%m%dT%H%M}"
            planned.append(
                _row(task.team_id, key, Kind.NOTE_REMINDER, task.rep_user_id, now, now, task.id)
            )
            _advance(task, zones[task.team_id, task.rep_user_id], now)
            session.add(task)
        outbox.plan_many(session=session, rows=planned)
        return len(tasks)

    return _until_done(ctx, work)


def _advance(task: NoteTask, tz: str, now: datetime) -> None:
    """The next reminder after this one, or None when the overdue reminders are used up.

    Never earlier than the next business day after today, so a pass that catches up
    after downtime sends one reminder, not a burst.
    """
    assert task.remind_at is not None
    day = max(local_date(task.remind_at, tz), local_date(now, tz))
    task.reminders_sent += 1
    if day > task.due_date:
        task.overdue_reminders += 1
    if task.overdue_reminders >= MAX_OVERDUE_REMINDERS:
        task.remind_at = None
        return
    following = max(next_business_day(day), next_business_day(task.due_date))
    task.remind_at = at_local_time(following, REMINDER_HOUR, 0, tz)


def _tz(session: Session, team_id: str, user_id: str, now: datetime) -> str:
    ws = workspaces.ensure(session=session, team_id=team_id, now=now)
    return rep_timezone(session, ws, user_id)


def _until_done(ctx: Ctx, work: Callable[[Session], int]) -> int:
    """Run a batch pass until a batch comes back short (each batch is one transaction)."""
    total = 0
    while True:
        done = ctx.db.run(work)
        total += done
        if done < BATCH:
            return total


def plan_escalations(ctx: Ctx, now: datetime) -> tuple[int, int]:
    """Re-ping approvers once after 24 h; expire after 72 h (releasing the money)."""
    expired = 0
    for team_id, proposal_id in ctx.db.run(
        lambda s: q.pending_older_than(session=s, before=now - decisions.EXPIRE_AFTER), write=False
    ):
        if decisions.expire(ctx, team_id, proposal_id, now=now) is not None:
            expired += 1
        ctx.db.run(lambda s, t=team_id, p=proposal_id: _plan_expired(s, t, p, now))

    def reping(session: Session) -> int:
        due = q.pending_to_reping(session=session, before=now - REPING_AFTER, limit=BATCH)
        for p in due:
            if not q.mark_repinged(session=session, proposal_id=p.id or 0, now=now):
                continue
            ws = workspaces.ensure(session=session, team_id=p.team_id, now=now)
            for target in route_for(ctx, session, ws, p.rep_user_id).targets:
                key = f"reping:{p.id}:{target}"
                outbox.plan(
                    session=session,
                    row=_row(p.team_id, key, Kind.REPING, target, now, now, p.id),
                )
        return len(due)

    return _until_done(ctx, reping), expired


def _plan_expired(session: Session, team_id: str, proposal_id: int, now: datetime) -> None:
    p = proposals.get(session=session, team_id=team_id, proposal_id=proposal_id)
    if p is not None and p.status == "expired":
        key = f"expired:{proposal_id}"
        outbox.plan(
            session=session,
            row=_row(team_id, key, Kind.EXPIRED, p.rep_user_id, now, now, proposal_id),
        )


def plan_recurring(ctx: Ctx, now: datetime) -> int:
    """ "Coming up in 7 days" for birthdays and anniversaries, at 10:00 the rep's time."""

    def work(session: Session) -> int:
        today = now.date()
        window = {
            (today + timedelta(days=d)).month * 100 + (today + timedelta(days=d)).day
            for d in range(HEADS_UP_DAYS - 1, HEADS_UP_DAYS + 2)
        }
        if 228 in window:
            window.add(229)
        planned = 0
        for team_id in workspaces.all_team_ids(session=session):
            for event, _customer in digest_q.recurring_on(
                session=session, team_id=team_id, month_days=window
            ):
                tz = _tz(session, team_id, event.logged_by, now)
                local_today = local_date(now, tz)
                occurrence = next_occurrence(event.event_date, local_today)
                heads_up = heads_up_date(occurrence, HEADS_UP_DAYS)
                if heads_up > local_today or occurrence == event.event_date:
                    continue
                due = max(at_local_time(heads_up, REMINDER_HOUR, 0, tz), now)
                key = f"recurring:{event.id}:{occurrence.isoformat()}"
                planned += outbox.plan(
                    session=session,
                    row=_row(team_id, key, Kind.RECURRING, event.logged_by, due, now, event.id),
                )
        return planned

    return ctx.db.run(work)


def digest_moment(ws: Workspace, now: datetime) -> tuple[date, datetime]:
    """(this week's Monday, when this week's digest is due), in the workspace's time."""
    monday = week_start(now, ws.timezone)
    hour, minute = (int(x) for x in ws.digest_time.split(":"))
    return monday, at_local_time(monday + timedelta(days=ws.digest_day), hour, minute, ws.timezone)


@dataclass(frozen=True)
class DigestTargets:
    channel: str | None
    managers: list[str]


def plan_digest(ctx: Ctx, now: datetime) -> int:
    """Once per workspace and week, when its digest day and time have come."""

    def work(session: Session) -> int:
        planned = 0
        for team_id in workspaces.all_team_ids(session=session):
            ws = workspaces.ensure(session=session, team_id=team_id, now=now)
            monday, due = digest_moment(ws, now)
            if now < due or not q.claim_digest_week(
                session=session,
                run=DigestRun(team_id=team_id, week_start=monday, claimed_until=now),
            ):
                continue
            for target in _digest_targets(session, ws):
                key = f"digest:{monday.isoformat()}:{target}"
                planned += outbox.plan(
                    session=session,
                    row=_row(team_id, key, Kind.DIGEST, target, now, now, None),
                )
        return planned

    return ctx.db.run(work)


def _digest_targets(session: Session, ws: Workspace) -> list[str]:
    targets = [ws.digest_channel] if ws.digest_channel else []
    if ws.digest_dm_managers:
        targets += [
            m.user_id
            for m in members.with_role(session=session, team_id=ws.team_id, roles=("manager",))
        ]
    return targets


def purge_old_notes(ctx: Ctx, now: datetime) -> int:
    """Retention: event notes older than the workspace's retention setting are erased."""

    def work(session: Session) -> int:
        purged = 0
        for team_id in workspaces.all_team_ids(session=session):
            ws = workspaces.ensure(session=session, team_id=team_id, now=now)
            purged += q.purge_event_notes(
                session=session,
                team_id=team_id,
                before=now - timedelta(days=round(30.44 * ws.retention_months)),
            )
        return purged

    return ctx.db.run(work)
