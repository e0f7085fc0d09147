"""Erasing one customer's personal data, in place: rows stay so every sum still adds up.

Text columns that can hold something about a customer, by table (storage/models.py):
- customers: name, company, their match keys, no_gifts_reason;
- life_events: notes, permalink (the Slack message it came from);
- proposals: description (typed for custom perks), note_idea, decision_reason;
- note_tasks: wording, skip_reason.
Ledger entries hold only ids and amounts; audit details and outbox rows (deliveries)
hold ids, kinds, amounts and Slack error codes, never typed text, so they stay.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Table, update
from sqlmodel import Session

from storage.db import connection
from storage.models import Customer, LifeEvent, NoteTask, Proposal

FORGOTTEN_NAME = "Forgotten customer"
ERASED = "(erased)"
OPEN = "open"

_C: Table = Customer.__table__  # type: ignore[attr-defined]
_E: Table = LifeEvent.__table__  # type: ignore[attr-defined]
_P: Table = Proposal.__table__  # type: ignore[attr-defined]
_N: Table = NoteTask.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Erased:
    events: int
    proposals: int
    notes: int


def erase_customer(*, session: Session, team_id: str, customer_id: int, now: datetime) -> Erased:
    conn = connection(session)
    conn.execute(
        update(_C)
        .where(_C.c.team_id == team_id, _C.c.id == customer_id)
        .values(
            name=FORGOTTEN_NAME,
            company="",
            # Unique, and upper case: typed names are matched case-folded, so none lands here.
            name_key=f"FORGOTTEN:{customer_id}",
            company_key="",
            no_gifts_reason=None,
            forgotten_at=now,
        )
    )
    mine = {"team_id": team_id, "customer_id": customer_id}
    events = conn.execute(
        update(_E)
        .where(*_of(_E, mine))
        .values(notes=None, permalink=None, recurring=False)  # no more "coming up" heads-ups
    ).rowcount
    proposals = _erase_proposals(session, mine)
    notes = conn.execute(update(_N).where(*_of(_N, mine)).values(wording=None)).rowcount
    conn.execute(
        update(_N).where(*_of(_N, mine), _N.c.skip_reason.is_not(None)).values(skip_reason=ERASED)
    )
    # A note to someone whose name is gone can't be written: open tasks are closed.
    conn.execute(
        update(_N)
        .where(*_of(_N, mine), _N.c.status == OPEN)
        .values(status="skipped", skip_reason="customer forgotten", remind_at=None, done_at=now)
    )
    return Erased(events=events, proposals=proposals, notes=notes)


def _erase_proposals(session: Session, mine: dict[str, object]) -> int:
    conn = connection(session)
    where = _of(_P, mine)
    count = conn.execute(update(_P).where(*where).values(note_idea=None)).rowcount
    # A catalog perk's description is the item's name; a custom one was typed by the rep.
    conn.execute(update(_P).where(*where, _P.c.item_id.is_(None)).values(description=ERASED))
    conn.execute(
        update(_P).where(*where, _P.c.decision_reason.is_not(None)).values(decision_reason=ERASED)
    )
    return count


def _of(table: Table, mine: dict[str, object]) -> list[ColumnElement[bool]]:
    """The rows of `table` that belong to the customer (and team) in `mine`."""
    return [table.c[k] == v for k, v in mine.items()]
