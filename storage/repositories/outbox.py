"""The outbox of deliveries: plan once (unique key), claim with a lease, mark the outcome."""

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import Insert, bindparam, or_, update
from sqlmodel import Session, col, select

from storage.models import Customer, Delivery, NoteTask

DUE, SENDING, SENT, FAILED = "due", "sending", "sent", "failed"


def plan(*, session: Session, row: Mapping[str, Any]) -> bool:
    """Add a delivery (given as its column values) unless one with its key exists.
    True if added."""
    result = session.execute(_insert_new(session), {**_DEFAULTS, **row})
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def plan_many(*, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Add each delivery (given as its column values) whose key is new, in one statement;
    a key planned already (or by a concurrent planner) is left alone."""
    if rows:
        session.execute(_insert_new(session), [{**_DEFAULTS, **row} for row in rows])


_DEFAULTS = {"status": DUE, "attempts": 0}


def _insert_new(session: Session) -> Insert:
    """INSERT … ON CONFLICT (team_id, key) DO NOTHING, in the session's dialect."""
    from sqlalchemy.dialects import postgresql, sqlite  # the unused one costs start-up time

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(Delivery.__table__)  # type: ignore[attr-defined]
    return insert.on_conflict_do_nothing(index_elements=["team_id", "key"])  # type: ignore[no-any-return]


def claim(
    *,
    session: Session,
    now: datetime,
    lease: timedelta,
    token: str,
    kinds: tuple[str, ...],
    limit: int,
    skip_targets: Collection[str] = (),
) -> list[Delivery]:
    """Take up to `limit` due deliveries (or ones whose lease ran out) for this pass,
    none addressed to `skip_targets` (channels the pass already has enough work for)."""
    due = or_(
        (col(Delivery.status) == DUE) & (col(Delivery.next_attempt_at) <= now),
        (col(Delivery.status) == SENDING) & (col(Delivery.claimed_until) < now),
    )
    wanted = [due, col(Delivery.kind).in_(kinds)]
    if skip_targets:
        wanted.append(col(Delivery.target).not_in(list(skip_targets)))
    stmt = (
        select(Delivery.id)
        .where(*wanted)
        .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.exec(stmt).all())
    if not ids:
        return []
    session.execute(
        update(Delivery)
        .where(col(Delivery.id).in_(ids))
        .values(status=SENDING, claimed_until=now + lease, claim_token=token)
        .execution_options(synchronize_session=False)
    )
    return list(
        session.exec(
            select(Delivery).where(col(Delivery.id).in_(ids)).order_by(col(Delivery.id))
        ).all()
    )


def finish(*, session: Session, delivery_id: int, token: str, **values: Any) -> bool:
    """Record the outcome, only if this pass still holds the claim."""
    result = session.execute(
        update(Delivery)
        .where(
            col(Delivery.id) == delivery_id,
            Delivery.claim_token == token,
            Delivery.status == SENDING,
        )
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def finish_many(*, session: Session, token: str, outcomes: Sequence[Mapping[str, Any]]) -> int:
    """`finish` for several deliveries, each outcome its `id` and the values to set: one
    executemany per shape of outcome. Returns how many this pass still held (recorded)."""
    table, recorded = Delivery.__table__, 0  # type: ignore[attr-defined]
    for shape, group in groupby(sorted(outcomes, key=_shape), key=_shape):
        stmt = (
            update(table)
            .where(
                table.c.id == bindparam("b_id"),
                table.c.claim_token == token,
                table.c.status == SENDING,
            )
            .values(claimed_until=None, **{name: bindparam(f"b_{name}") for name in shape})
        )
        params = [{f"b_{name}": value for name, value in row.items()} for row in group]
        recorded += session.execute(stmt, params).rowcount  # type: ignore[attr-defined]
    return recorded


def _shape(outcome: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(name for name in outcome if name != "id"))


def note_reminders(
    *, session: Session, delivery_ids: Collection[int]
) -> list[tuple[int, NoteTask, str | None]]:
    """(delivery id, its note task, the customer's name) for claimed note reminders, in one
    query; a delivery whose task is gone is absent. Task and customer share its team."""
    stmt = (
        select(Delivery.id, NoteTask, Customer.name)
        .join(
            NoteTask,
            (col(NoteTask.id) == col(Delivery.subject_id))
            & (col(NoteTask.team_id) == col(Delivery.team_id)),
        )
        .outerjoin(
            Customer,
            (col(Customer.id) == col(NoteTask.customer_id))
            & (col(Customer.team_id) == col(NoteTask.team_id)),
        )
        .where(col(Delivery.id).in_(list(delivery_ids)))
    )
    return [(int(d or 0), task, name) for d, task, name in session.exec(stmt).all()]


def failed_since(*, session: Session, team_id: str, since: datetime) -> list[Delivery]:
    stmt = select(Delivery).where(
        Delivery.team_id == team_id, Delivery.status == FAILED, col(Delivery.created_at) >= since
    )
    return list(session.exec(stmt.order_by(col(Delivery.id))).all())


def by_key(*, session: Session, team_id: str, key: str) -> Delivery | None:
    return session.exec(
        select(Delivery).where(Delivery.team_id == team_id, Delivery.key == key)
    ).first()
