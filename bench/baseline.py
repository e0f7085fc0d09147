"""The propose and approve transactions written by hand with the bare driver.

The yardstick for the use cases in `perks/`: the same rules and the same rows on
the migrated schema, with `sqlite3` (BEGIN IMMEDIATE) or psycopg 3 (`SELECT …
FOR UPDATE` on the workspace row), reading in the same statements as the use
cases (the ledger sums in one query, the proposal and the people deciding it in
another), and nothing else; the use case also reads the approvers for the
request's route, which this leaves out. Pure
domain helpers (budget period, note due date and wording) are reused, so the
ratio measures the data-access path, not arithmetic.
"""

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

import psycopg
from sqlalchemy.engine import make_url

from perks.calendar import BudgetPeriod, first_reminder_at, note_due, period_for
from perks.kinds import EventKind
from perks.notes import suggested_wording

CUSTOMER_CAP_WINDOW = timedelta(days=365)
APPROVER_ROLES = ("manager", "admin")
ATTEMPTS = 4  # as storage.db.Database.run
_RETRYABLE_PG_CODES = {"40001", "40P01"}
T = TypeVar("T")


@dataclass(frozen=True)
class Dialect:
    begin_write: str
    for_update: str
    placeholder: str
    sqlite: bool

    def stamp(self, value: datetime) -> object:
        # SQLAlchemy keeps UTC datetimes on SQLite as this text; PostgreSQL takes timestamptz.
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else value

    def day(self, value: date | str) -> object:
        return value.isoformat() if self.sqlite and isinstance(value, date) else value


SQLITE = Dialect("BEGIN IMMEDIATE", "", "?", sqlite=True)
POSTGRES = Dialect("BEGIN", " FOR UPDATE", "%s", sqlite=False)


class BareConnection:
    """A driver connection in autocommit mode; transactions are explicit BEGIN/COMMIT."""

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect
        self.retries = 0

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self.raw.execute(_translate(sql, self.dialect), params)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...]:
        found = self.rows(sql, params)
        if len(found) != 1:
            raise LookupError(f"expected one row, got {len(found)}: {sql.split()[:4]}")
        return found[0]

    def begin(self) -> None:
        self.raw.execute(self.dialect.begin_write)

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if not self.dialect.sqlite or self.raw.in_transaction:
            self.raw.execute("ROLLBACK")

    def transaction(self, work: Callable[[], T]) -> T:
        """BEGIN, work, COMMIT; retried like `Database.run` on a lock timeout or conflict."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self.begin()
                result = work()
                self.commit()
                return result
            except (sqlite3.OperationalError, psycopg.errors.OperationalError) as exc:
                self.rollback()
                if attempt == ATTEMPTS or not _retryable(exc):
                    raise
                self.retries += 1
                time.sleep(0.01 * 2**attempt)
            except BaseException:
                self.rollback()
                raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.raw.close()


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return "database is locked" in str(exc)
    return getattr(exc, "sqlstate", None) in _RETRYABLE_PG_CODES


@cache
def _translate(sql: str, dialect: Dialect) -> str:
    return sql.replace("{for_update}", dialect.for_update).replace("%s", dialect.placeholder)


def connect(url: str) -> BareConnection:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        raw = sqlite3.connect(
            parsed.database or "", isolation_level=None, check_same_thread=False, timeout=30
        )
        for pragma in (
            "journal_mode=WAL",
            "busy_timeout=5000",
            "foreign_keys=ON",
            "synchronous=NORMAL",
        ):
            raw.execute(f"PRAGMA {pragma}")  # as storage.db
        return BareConnection(raw, SQLITE)
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    return BareConnection(psycopg.connect(conninfo, autocommit=True), POSTGRES)


LOCK_WORKSPACE = """SELECT team_budget, rep_allowance, auto_approve_limit, customer_cap,
 max_perk, currency, timezone, budget_period FROM workspaces WHERE team_id = %s{for_update}"""
EVENT_AND_CUSTOMER = """SELECT e.customer_id, e.kind, e.resolved, c.no_gifts
 FROM life_events e JOIN customers c ON c.id = e.customer_id
 WHERE e.id = %s AND e.team_id = %s"""
_USED = """COALESCE(SUM(CASE WHEN l.entry = 'reserve'{also} THEN l.amount ELSE 0 END), 0),
 COALESCE(SUM(CASE WHEN l.entry = 'release'{also} THEN l.amount ELSE 0 END), 0)"""
# Σreserve and Σrelease of the team and of the rep in the period, and of the customer
# over the cap window: one query, as the use case reads them.
SUMS = f"""SELECT t.*, c.* FROM
 (SELECT {_USED.format(also="")}, {_USED.format(also=" AND l.rep_user_id = %s")}
  FROM ledger_entries l WHERE l.team_id = %s AND l.period_start = %s) t
 JOIN (SELECT {_USED.format(also="")}
  FROM ledger_entries l JOIN proposals p ON p.id = l.proposal_id
  WHERE l.team_id = %s AND l.customer_id = %s AND p.created_at >= %s) c ON true"""
INSERT_PROPOSAL = """INSERT INTO proposals (team_id, customer_id, event_id, rep_user_id,
 description, amount, currency, period_start, status, approval_reasons, handwritten_note,
 created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'pending', %s, %s, %s) RETURNING id"""
INSERT_LEDGER = """INSERT INTO ledger_entries (team_id, proposal_id, rep_user_id, customer_id,
 entry, amount, period_start, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"""
INSERT_AUDIT = """INSERT INTO audit_entries (team_id, actor, action, subject, detail, at)
 VALUES (%s, %s, %s, %s, %s, %s)"""
# The proposal with its customer, event and workspace, the approver's role and the
# rep's timezone: one query, as the use case reads them.
PROPOSAL_TO_DECIDE = """SELECT p.rep_user_id, p.customer_id, p.event_id, p.amount,
 p.period_start, p.status, p.handwritten_note, p.note_idea, c.name, e.kind, w.timezone,
 w.note_due_business_days, a.role, r.timezone
 FROM proposals p JOIN customers c ON c.id = p.customer_id
 JOIN workspaces w ON w.team_id = p.team_id LEFT JOIN life_events e ON e.id = p.event_id
 LEFT JOIN members a ON a.team_id = p.team_id AND a.user_id = %s
 LEFT JOIN members r ON r.team_id = p.team_id AND r.user_id = p.rep_user_id
 WHERE p.id = %s AND p.team_id = %s"""
DECIDE_IF_PENDING = """UPDATE proposals SET status = 'approved', decided_at = %s, decided_by = %s
 WHERE id = %s AND team_id = %s AND status = 'pending'"""
INSERT_NOTE_TASK = """INSERT INTO note_tasks (team_id, rep_user_id, customer_id, event_id,
 proposal_id, wording, status, due_date, remind_at, reminders_sent, overdue_reminders,
 created_at) VALUES (%s, %s, %s, %s, %s, %s, 'open', %s, %s, 0, 0, %s)"""


@dataclass(frozen=True)
class PerkRequest:
    team_id: str
    rep_id: str
    event_id: int
    amount: int  # minor units
    description: str


def propose_pending(conn: BareConnection, req: PerkRequest, now: datetime) -> int:
    """Submit a perk that needs approval: checks, reserve, audit. Returns the proposal id."""
    return conn.transaction(lambda: _propose(conn, req, now))


def _propose(conn: BareConnection, req: PerkRequest, now: datetime) -> int:
    d = conn.dialect
    budget, allowance, auto_limit, cap, max_perk, currency, tz, period_kind = conn.one(
        LOCK_WORKSPACE, (req.team_id,)
    )
    customer_id, _kind, _resolved, no_gifts = conn.one(
        EVENT_AND_CUSTOMER, (req.event_id, req.team_id)
    )
    period = d.day(period_for(now, tz, BudgetPeriod(period_kind)).start)
    since = d.stamp(now - CUSTOMER_CAP_WINDOW)
    sums = conn.one(
        SUMS, (req.rep_id, req.rep_id, req.team_id, period, req.team_id, customer_id, since)
    )
    team, rep, customer = _used(sums[0:2]), _used(sums[2:4]), _used(sums[4:6])
    if not 0 < req.amount <= max_perk or no_gifts or req.amount > budget - team:
        raise ValueError("baseline: the benchmark's perk should never be refused")
    reasons = [
        name
        for name, over in (
            ("OVER_THRESHOLD", req.amount > auto_limit),
            ("OVER_ALLOWANCE", req.amount > allowance - rep),
            ("OVER_CUSTOMER_CAP", customer + req.amount > cap),
        )
        if over
    ]
    if not reasons:
        raise ValueError("baseline: only the pending path is written by hand")
    stamp = d.stamp(now)
    (proposal_id,) = conn.one(
        INSERT_PROPOSAL,
        (req.team_id, customer_id, req.event_id, req.rep_id, req.description, req.amount,
         currency, period, ",".join(reasons), True, stamp),
    )  # fmt: skip
    conn.execute(
        INSERT_LEDGER,
        (req.team_id, proposal_id, req.rep_id, customer_id, "reserve", req.amount, period, stamp),
    )
    detail = json.dumps({"amount": req.amount, "currency": currency}, sort_keys=True)
    conn.execute(
        INSERT_AUDIT,
        (req.team_id, req.rep_id, "proposal.pending", f"proposal:{proposal_id}", detail, stamp),
    )
    return int(proposal_id)


def _used(sums: tuple[Any, ...]) -> int:
    """committed + reserved, from (Σreserve, Σrelease): Σreserve − Σrelease."""
    reserved, released = sums
    return int(reserved) - int(released)


def approve(
    conn: BareConnection, team_id: str, approver: str, proposal_id: int, now: datetime
) -> None:
    """Commit a pending proposal's reservation, open its note task, audit. One winner."""
    conn.transaction(lambda: _approve(conn, team_id, approver, proposal_id, now))


def _approve(
    conn: BareConnection, team_id: str, approver: str, proposal_id: int, now: datetime
) -> None:
    d = conn.dialect
    (rep_id, customer_id, event_id, amount, period, status, note, note_idea, name, kind, ws_tz,
     due_days, role, rep_tz) = conn.one(PROPOSAL_TO_DECIDE, (approver, proposal_id, team_id))  # fmt: skip
    role = role or "rep"
    if approver == rep_id or role not in APPROVER_ROLES or status != "pending":
        raise PermissionError("baseline: this approval should have been allowed")
    stamp = d.stamp(now)
    decided = conn.execute(DECIDE_IF_PENDING, (stamp, approver, proposal_id, team_id))
    if decided.rowcount != 1:
        raise PermissionError("baseline: someone decided first")
    conn.execute(
        INSERT_LEDGER, (team_id, proposal_id, rep_id, customer_id, "commit", amount, period, stamp)
    )
    if note and kind is not None:
        due, remind_at = note_due(now, rep_tz or ws_tz, due_days)
        wording = suggested_wording(EventKind(kind), name, note_idea)
        conn.execute(
            INSERT_NOTE_TASK,
            (team_id, rep_id, customer_id, event_id, proposal_id, wording, d.day(due),
             d.stamp(first_reminder_at(remind_at, now)), stamp),
        )  # fmt: skip
    conn.execute(
        INSERT_AUDIT,
        (team_id, approver, "proposal.approved", f"proposal:{proposal_id}", "{}", stamp),
    )
