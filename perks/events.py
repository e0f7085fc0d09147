"""Logging life events: duplicates within 30 days, the service-recovery gate."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from perks import customers as customer_rules
from perks import notetasks
from perks.calendar import local_date, within_window
from perks.context import Actor, Ctx, rep_timezone, workspace
from perks.errors import InvalidInput, NotAllowed, NotFound, PerkError
from perks.kinds import EventKind, label, recurs_by_default
from storage.models import Customer, LifeEvent, NoteTask
from storage.repositories import audit, events
from storage.repositories import customers as customer_repo
from storage.repositories import notes as note_repo

NOTES_MAX = 2000
DUPLICATE_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class EventForm:
    customer: str
    kind: EventKind
    company: str = ""
    event_date: date | None = None  # default: today in the rep's timezone
    notes: str = ""
    recurring: bool | None = None  # default: on for birthdays and anniversaries
    resolved: bool | None = None  # asked only for a bad experience with us
    just_a_note: bool = False
    permalink: str | None = None
    client_key: str | None = None
    allow_duplicate: bool = False  # the rep saw the earlier event and saves anyway


@dataclass(frozen=True)
class EventLogged:
    event: LifeEvent
    customer: Customer
    note_task: NoteTask | None


@dataclass(frozen=True)
class EarlierEvent:
    """A plain copy of the earlier event: ORM rows expire when the transaction rolls back."""

    id: int
    kind: EventKind
    logged_by: str
    logged_at: datetime


class DuplicateEvent(PerkError):
    """The customer already has an event of this kind from the last 30 days."""

    def __init__(self, existing: LifeEvent) -> None:
        self.existing = EarlierEvent(
            existing.id or 0, EventKind(existing.kind), existing.logged_by, existing.logged_at
        )
        super().__init__(
            f"This customer already has a {label(self.existing.kind).lower()} event, "
            f"logged by <@{existing.logged_by}> on {existing.logged_at:%d %b %Y}. "
            "Save anyway only if this is a different occasion.",
            field="kind",
        )


def log_event(ctx: Ctx, actor: Actor, form: EventForm, *, now: datetime) -> EventLogged:
    name = customer_rules.clean_name(form.customer)
    company = customer_rules.clean_company(form.company)
    notes = form.notes.strip()
    if len(notes) > NOTES_MAX:
        raise InvalidInput(f"Notes must be at most {NOTES_MAX} characters.", field="notes")

    def work(session: Session) -> EventLogged:
        if form.client_key:
            replay = events.by_client_key(
                session=session, team_id=actor.team_id, client_key=form.client_key
            )
            if replay is not None:
                return _replayed(session, actor, replay)
        ws = workspace(session, actor, now)
        event_date = _event_date(
            form.event_date, local_date(now, rep_timezone(session, ws, actor.user_id))
        )
        customer = customer_rules.find_or_create(session, actor.team_id, name, company, now)
        if not form.allow_duplicate:
            _refuse_duplicate(session, actor.team_id, customer, form.kind, now)
        event = events.add(
            session=session, event=_new_event(actor, form, customer, event_date, notes, now)
        )
        task = None
        if form.just_a_note:
            task = notetasks.create(
                session,
                ws,
                rep_id=actor.user_id,
                customer=customer,
                event=event,
                proposal_id=None,
                rep_words=None,
                now=now,
            )
        audit.record(
            session=session,
            team_id=actor.team_id,
            actor=actor.user_id,
            action="event.logged",
            subject=f"event:{event.id}",
            at=now,
            kind=form.kind.value,
        )
        return EventLogged(event, customer, task)

    return ctx.db.run(work)


def _event_date(given: date | None, today: date) -> date:
    if given is None:
        return today
    if not within_window(given, today):
        raise InvalidInput("Date must be within one year before or after today.", field="date")
    return given


def _refuse_duplicate(
    session: Session, team_id: str, customer: Customer, kind: EventKind, now: datetime
) -> None:
    if customer.id is None:
        return
    existing = events.recent_same_kind(
        session=session,
        team_id=team_id,
        customer_id=customer.id,
        kind=kind.value,
        since=now - DUPLICATE_WINDOW,
    )
    if existing is not None:
        raise DuplicateEvent(existing)


def _new_event(
    actor: Actor, form: EventForm, customer: Customer, event_date: date, notes: str, now: datetime
) -> LifeEvent:
    recurring = recurs_by_default(form.kind) if form.recurring is None else form.recurring
    resolved = bool(form.resolved) if form.kind is EventKind.SERVICE_RECOVERY else None
    return LifeEvent(
        team_id=actor.team_id,
        customer_id=customer.id,
        kind=form.kind.value,
        event_date=event_date,
        notes=notes or None,
        recurring=recurring,
        resolved=resolved,
        just_a_note=form.just_a_note,
        permalink=form.permalink,
        logged_by=actor.user_id,
        logged_at=now,
        client_key=form.client_key,
    )


def _replayed(session: Session, actor: Actor, event: LifeEvent) -> EventLogged:
    """The same submission again (a retry or double click): the first result, unchanged."""
    customer = customer_repo.get(
        session=session, team_id=actor.team_id, customer_id=event.customer_id
    )
    assert customer is not None
    return EventLogged(event, customer, None)


def mark_resolved(ctx: Ctx, actor: Actor, event_id: int, *, now: datetime) -> LifeEvent:
    """A bad experience is fixed: perks may now be proposed for it."""

    def work(session: Session) -> LifeEvent:
        event = events.get(session=session, team_id=actor.team_id, event_id=event_id)
        if event is None:
            raise NotFound("That life event no longer exists.")
        if event.kind != EventKind.SERVICE_RECOVERY:
            raise NotAllowed("Only a bad experience with us can be marked resolved.")
        if not event.resolved:
            event.resolved = True
            session.add(event)
            audit.record(
                session=session,
                team_id=actor.team_id,
                actor=actor.user_id,
                action="event.resolved",
                subject=f"event:{event_id}",
                at=now,
            )
        return event

    return ctx.db.run(work)


def get_event(ctx: Ctx, actor: Actor, event_id: int) -> LifeEvent:
    found = ctx.db.run(
        lambda s: events.get(session=s, team_id=actor.team_id, event_id=event_id), write=False
    )
    if found is None:
        raise NotFound("That life event no longer exists.")
    return found


def by_client_key(ctx: Ctx, actor: Actor, client_key: str) -> EventLogged | None:
    """The event a modal submission logged (None if it was refused or not saved yet)."""

    def work(session: Session) -> EventLogged | None:
        event = events.by_client_key(session=session, team_id=actor.team_id, client_key=client_key)
        if event is None:
            return None
        replay = _replayed(session, actor, event)
        task = next(
            (
                t
                for t in note_repo.for_customer(
                    session=session, team_id=actor.team_id, customer_id=event.customer_id
                )
                if t.event_id == event.id and t.proposal_id is None
            ),
            None,
        )
        return EventLogged(replay.event, replay.customer, task)

    return ctx.db.run(work, write=False)
