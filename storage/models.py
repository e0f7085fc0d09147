"""SQLModel tables. The schema itself comes from Alembic (storage/migrations) only.

Every row belongs to one Slack team (`team_id`), and every query filters on it.
Datetimes are stored as UTC-aware; money as integer minor units.
"""

from datetime import UTC, date, datetime

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out, whatever the backend keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware values")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Named constraints, so later migrations can alter them (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _utc(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(UTCDateTime(), nullable=nullable)


class Workspace(SQLModel, table=True):
    """A Slack team and its Perkbot settings (SPEC §2 defaults)."""

    __tablename__ = "workspaces"

    team_id: str = Field(primary_key=True, max_length=32)
    currency: str = Field(default="USD", max_length=3)
    budget_period: str = Field(default="month", max_length=8)
    timezone: str = Field(default="UTC", max_length=64)
    team_budget: int = 100_000
    rep_allowance: int = 10_000
    auto_approve_limit: int = 2_500
    customer_cap: int = 15_000
    max_perk: int = 25_000
    approvals_channel: str | None = Field(default=None, max_length=32)
    digest_channel: str | None = Field(default=None, max_length=32)
    digest_day: int = 0  # Monday, as datetime.weekday()
    digest_time: str = Field(default="09:00", max_length=5)
    digest_dm_managers: bool = True
    note_due_business_days: int = 2
    retention_months: int = 24
    created_at: datetime = Field(sa_column=_utc())
    updated_at: datetime = Field(sa_column=_utc())


class Member(SQLModel, table=True):
    """A Slack user known to Perkbot, with the role an admin gave them."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    user_id: str = Field(max_length=32)
    role: str = Field(default="rep", max_length=8)
    manager_user_id: str | None = Field(default=None, max_length=32)
    timezone: str | None = Field(default=None, max_length=64)
    timezone_checked_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class Customer(SQLModel, table=True):
    """A customer, matched case-insensitively on name + company within a team."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("team_id", "name_key", "company_key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    name: str = Field(max_length=200)
    company: str = Field(default="", max_length=200)
    name_key: str = Field(max_length=200)
    company_key: str = Field(default="", max_length=200)
    no_gifts: bool = False
    no_gifts_reason: str | None = Field(default=None, max_length=500)
    forgotten_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    created_at: datetime = Field(sa_column=_utc())


class LifeEvent(SQLModel, table=True):
    __tablename__ = "life_events"
    __table_args__ = (
        UniqueConstraint("team_id", "client_key"),
        Index("ix_life_events_customer_kind", "team_id", "customer_id", "kind"),
        # The digest's events of the week, by kind, from the index alone.
        Index("ix_life_events_team_logged", "team_id", "logged_at", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    customer_id: int = Field(foreign_key="customers.id")
    kind: str = Field(max_length=32)
    event_date: date
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recurring: bool = False
    resolved: bool | None = None  # only for service_recovery
    just_a_note: bool = False
    permalink: str | None = Field(default=None, max_length=500)
    logged_by: str = Field(max_length=32)
    logged_at: datetime = Field(sa_column=_utc())
    client_key: str | None = Field(default=None, max_length=64)


class Proposal(SQLModel, table=True):
    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("team_id", "client_key"),
        # Pending ones by age; the digest's week per status, one range each, unsorted.
        Index("ix_proposals_team_status_created", "team_id", "status", "created_at", "amount"),
        # The digest's week, newest first: its highlights.
        Index("ix_proposals_team_created", "team_id", "created_at", "status", "amount"),
        # A customer's history (`/perk customer`, the propose modal's recent perks).
        Index("ix_proposals_team_customer", "team_id", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    customer_id: int = Field(foreign_key="customers.id")
    event_id: int | None = Field(default=None, foreign_key="life_events.id")
    rep_user_id: str = Field(max_length=32)
    item_id: str | None = Field(default=None, max_length=64)
    description: str = Field(max_length=300)
    amount: int
    currency: str = Field(max_length=3)
    period_start: date
    status: str = Field(max_length=16)
    approval_reasons: str = Field(default="", max_length=200)
    handwritten_note: bool = True
    note_idea: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(sa_column=_utc())
    decided_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    decided_by: str | None = Field(default=None, max_length=32)
    decision_reason: str | None = Field(default=None, max_length=1000)
    approval_channel: str | None = Field(default=None, max_length=32)
    approval_ts: str | None = Field(default=None, max_length=32)
    repinged_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    client_key: str | None = Field(default=None, max_length=64)
    # Claims, so that the approval request and the decision notice go out once each.
    requested_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    notified_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class LedgerEntry(SQLModel, table=True):
    """Append-only: reserve, commit or release of one proposal's amount."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        # Covers the period sums per team and per rep without touching the table.
        Index(
            "ix_ledger_team_period_rep", "team_id", "period_start", "rep_user_id", "entry", "amount"
        ),
        Index("ix_ledger_team_customer", "team_id", "customer_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    proposal_id: int = Field(foreign_key="proposals.id")
    rep_user_id: str = Field(max_length=32)
    customer_id: int = Field(foreign_key="customers.id")
    entry: str = Field(max_length=8)
    amount: int
    period_start: date
    created_at: datetime = Field(sa_column=_utc())


class NoteTask(SQLModel, table=True):
    __tablename__ = "note_tasks"
    __table_args__ = (
        Index("ix_note_tasks_due", "status", "remind_at"),
        # The digest's notes sent in the week and open ones overdue, from the index alone.
        Index("ix_note_tasks_team_status", "team_id", "status", "done_at", "due_date"),
        # A customer's history, and the task of a proposal (each approval reads it).
        Index("ix_note_tasks_team_customer", "team_id", "customer_id"),
        Index("ix_note_tasks_team_proposal", "team_id", "proposal_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    rep_user_id: str = Field(max_length=32)
    customer_id: int = Field(foreign_key="customers.id")
    event_id: int | None = Field(default=None, foreign_key="life_events.id")
    proposal_id: int | None = Field(default=None, foreign_key="proposals.id")
    wording: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(default="open", max_length=8)
    due_date: date
    # The next reminder; None once the overdue reminders are used up (digest only).
    remind_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    reminders_sent: int = 0
    overdue_reminders: int = 0
    skip_reason: str | None = Field(default=None, max_length=1000)
    done_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    created_at: datetime = Field(sa_column=_utc())


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_team_at", "team_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    actor: str = Field(max_length=32)
    action: str = Field(max_length=40)
    subject: str = Field(default="", max_length=64)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    at: datetime = Field(sa_column=_utc())


class DigestRun(SQLModel, table=True):
    """One row per team and week: the claim that makes the digest exactly-once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("team_id", "week_start"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    week_start: date
    status: str = Field(default="claimed", max_length=8)
    claimed_until: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    posted_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class ApprovalMessage(SQLModel, table=True):
    """Each copy of a proposal's approval request, to update them all once decided."""

    __tablename__ = "approval_messages"
    __table_args__ = (UniqueConstraint("team_id", "channel", "ts"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspaces.team_id", max_length=32)
    proposal_id: int = Field(foreign_key="proposals.id", index=True)
    channel: str = Field(max_length=32)
    ts: str = Field(max_length=32)


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already handled: a retry of one changes nothing."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("team_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    event_id: str = Field(max_length=64)
    received_at: datetime = Field(sa_column=_utc())


class Delivery(SQLModel, table=True):
    """The outbox: one message the bot owes someone, delivered exactly once.

    `key` (unique per team) makes planning idempotent; a pass claims rows with a
    lease (`claimed_until`), calls Slack with no transaction open, then marks them.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("team_id", "key"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    key: str = Field(max_length=160)
    kind: str = Field(max_length=24)
    subject_id: int | None = None
    target: str = Field(max_length=32)  # a user id (DM) or a channel id
    status: str = Field(default="due", max_length=8)  # due, sending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=_utc())
    claimed_until: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    claim_token: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, max_length=200)
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=_utc())
    sent_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
