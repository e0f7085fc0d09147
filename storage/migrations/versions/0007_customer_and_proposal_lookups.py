"""indexes for a customer's history and a proposal's note task

Approving read every note task of the customer to find the proposal's (a scan of the
team's notes); customer history scanned the team's proposals and notes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 15:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW = {
    "note_tasks": {
        "ix_note_tasks_team_customer": ["team_id", "customer_id"],
        "ix_note_tasks_team_proposal": ["team_id", "proposal_id"],
    },
    "proposals": {"ix_proposals_team_customer": ["team_id", "customer_id"]},
}


def upgrade() -> None:
    for table, indexes in NEW.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes.items():
                batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for table, indexes in NEW.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in indexes:
                batch_op.drop_index(name)
