"""pair-scoped indexes: a pair's meetings by status and time, a pair's goals by status

Status and App Home read "these pairs' meetings with this status since then" and "these pairs'
goals with this status". With only single-column indexes, SQLite (which keeps no statistics
unless ANALYZE runs) read them through the status index, i.e. every meeting or goal of that
status in the programme; these indexes match every term, so the pairs' own rows are read.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 01:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_meeting_pair_id_status_starts_at", "meeting", ["pair_id", "status", "starts_at"]
    )
    op.create_index("ix_goal_pair_id_status", "goal", ["pair_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_goal_pair_id_status", table_name="goal")
    op.drop_index("ix_meeting_pair_id_status_starts_at", table_name="meeting")
