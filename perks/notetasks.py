"""Handwritten note tasks: created on approval or "Just a note"; sent, snoozed or skipped."""

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from perks.calendar import first_reminder_at, note_due, snooze_until
from perks.context import Actor, Ctx, rep_timezone
from perks.errors import AlreadyDecided, InvalidInput, NotAllowed, NotFound
from perks.kinds import EventKind
from perks.notes import NoteStatus, suggested_wording
from storage.models import Customer, LifeEvent, NoteTask, Workspace
from storage.repositories import audit, notes, workspaces

SKIP_REASON_MAX = 1000


def create(
    session: Session,
    ws: Workspace,
    *,
    rep_id: str,
    customer: Customer,
    event: LifeEvent,
    proposal_id: int | None,
    rep_words: str | None,
    now: datetime,
    rep_tz: str | None = None,
) -> NoteTask:
    """A note task due N business days from now, reminded at 10:00 in the rep's timezone.

    `rep_tz`: that timezone (see `rep_timezone`) when the caller has already read it.
    """
    tz = rep_tz or rep_timezone(session, ws, rep_id)
    due, remind_at = note_due(now, tz, ws.note_due_business_days)
    return notes.add(
        session=session,
        task=NoteTask(
            team_id=ws.team_id,
            rep_user_id=rep_id,
            customer_id=customer.id,
            event_id=event.id,
            proposal_id=proposal_id,
            wording=suggested_wording(EventKind(event.kind), customer.name, rep_words),
            due_date=due,
            remind_at=first_reminder_at(remind_at, now),
            created_at=now,
        ),
    )


def _own_open_task(session: Session, actor: Actor, task_id: int) -> NoteTask:
    task = notes.get(session=session, team_id=actor.team_id, task_id=task_id)
    if task is None:
        raise NotFound("That note task no longer exists.")
    if task.rep_user_id != actor.user_id:
        raise NotAllowed("Only the rep who owns this note can change it.")
    if task.status != NoteStatus.OPEN:
        raise AlreadyDecided(f"This note is already marked {task.status}.")
    return task


Changes = Callable[[Session, NoteTask], dict[str, object]]


def _change(
    ctx: Ctx, actor: Actor, task_id: int, action: str, now: datetime, changes: Changes
) -> NoteTask:
    """Apply `changes` to the actor's open task, only if it is still open (one winner)."""

    def work(session: Session) -> NoteTask:
        task = _own_open_task(session, actor, task_id)
        values = changes(session, task)
        if not notes.update_if_open(
            session=session, team_id=actor.team_id, task_id=task_id, **values
        ):
            raise AlreadyDecided("This note was changed a moment ago; nothing more to do.")
        audit.record(
            session=session,
            team_id=actor.team_id,
            actor=actor.user_id,
            action=action,
            subject=f"note:{task_id}",
            at=now,
        )
        session.refresh(task)
        return task

    return ctx.db.run(work)


def mark_sent(ctx: Ctx, actor: Actor, task_id: int, *, now: datetime) -> NoteTask:
    return _change(
        ctx,
        actor,
        task_id,
        "note.sent",
        now,
        lambda _s, _t: {"status": NoteStatus.SENT.value, "done_at": now},
    )


def skip(ctx: Ctx, actor: Actor, task_id: int, *, reason: str, now: datetime) -> NoteTask:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Reason is required.", field="reason")
    if len(reason) > SKIP_REASON_MAX:
        raise InvalidInput(f"Reason must be at most {SKIP_REASON_MAX} characters.", field="reason")
    return _change(
        ctx,
        actor,
        task_id,
        "note.skipped",
        now,
        lambda _s, _t: {"status": NoteStatus.SKIPPED.value, "skip_reason": reason, "done_at": now},
    )


def snooze(ctx: Ctx, actor: Actor, task_id: int, *, now: datetime) -> NoteTask:
    """Remind again at 10:00 tomorrow in the rep's timezone."""

    def until(session: Session, task: NoteTask) -> dict[str, object]:
        ws = workspaces.ensure(session=session, team_id=task.team_id, now=now)
        return {"remind_at": snooze_until(now, rep_timezone(session, ws, task.rep_user_id))}

    return _change(ctx, actor, task_id, "note.snoozed", now, until)


def open_tasks(ctx: Ctx, actor: Actor) -> list[NoteTask]:
    return ctx.db.run(
        lambda s: notes.open_for_rep(session=s, team_id=actor.team_id, rep_user_id=actor.user_id),
        write=False,
    )
