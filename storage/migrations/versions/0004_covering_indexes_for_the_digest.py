"""covering indexes for the digest

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:36:17.309887
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_team_period"))
        batch_op.create_index(
            "ix_ledger_team_period_rep",
            ["team_id", "period_start", "rep_user_id", "entry", "amount"],
            unique=False,
        )

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_proposals_team_created", ["team_id", "created_at", "status", "amount"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_team_created")

    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_team_period_rep")
        batch_op.create_index(
            batch_op.f("ix_ledger_team_period"), ["team_id", "period_start"], unique=False
        )
