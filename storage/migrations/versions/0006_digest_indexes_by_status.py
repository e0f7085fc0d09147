"""indexes for the digest's week: proposals and notes by status, events by time

ix_proposals_team_status (team_id, status) becomes a covering
(team_id, status, created_at, amount): the same prefix for the pending lookups,
and the digest's per-status counts read one range per status, already grouped.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 12:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_team_status")
        batch_op.create_index(
            "ix_proposals_team_status_created",
            ["team_id", "status", "created_at", "amount"],
            unique=False,
        )

    with op.batch_alter_table("note_tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_note_tasks_team_status",
            ["team_id", "status", "done_at", "due_date"],
            unique=False,
        )

    with op.batch_alter_table("life_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_life_events_team_logged", ["team_id", "logged_at", "kind"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("life_events", schema=None) as batch_op:
        batch_op.drop_index("ix_life_events_team_logged")

    with op.batch_alter_table("note_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_note_tasks_team_status")

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_team_status_created")
        batch_op.create_index("ix_proposals_team_status", ["team_id", "status"], unique=False)
