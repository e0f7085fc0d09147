"""approval messages and event dedupe

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:58:37.802776
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "processed_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("received_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_events")),
        sa.UniqueConstraint(
            "team_id", "event_id", name=op.f("uq_processed_events_team_id_event_id")
        ),
    )
    op.create_table(
        "approval_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_approval_messages_proposal_id_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_approval_messages_team_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_messages")),
        sa.UniqueConstraint(
            "team_id", "channel", "ts", name=op.f("uq_approval_messages_team_id_channel_ts")
        ),
    )
    with op.batch_alter_table("approval_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_approval_messages_proposal_id"), ["proposal_id"], unique=False
        )

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requested_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("notified_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("notified_at")
        batch_op.drop_column("requested_at")

    with op.batch_alter_table("approval_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_messages_proposal_id"))

    op.drop_table("approval_messages")
    op.drop_table("processed_events")
