"""remind what waits for an answer: unanswered proposals (then expire them) and charters

Three due dates for the scheduler on each pair, indexed with the status like the other
`next_*_at` columns: an unanswered proposal is reminded once, then expires; a charter version
the partner has not acknowledged is reminded once; an active pair with no charter is nudged
on day 3 and day 10 (pairs active before this revision are not: the at-risk list has them). Proposals already waiting are looked at on
the first tick, which reminds or expires each by its age; charter versions saved before this
revision are not reminded (they may be months old).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 06:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_proposal_check_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_ack_reminder_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_charter_nudge_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            "ix_pair_status_next_proposal_check_at",
            ["status", "next_proposal_check_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_pair_status_next_ack_reminder_at", ["status", "next_ack_reminder_at"], unique=False
        )
        batch_op.create_index(
            "ix_pair_status_next_charter_nudge_at",
            ["status", "next_charter_nudge_at"],
            unique=False,
        )
    op.execute(
        "UPDATE pair SET next_proposal_check_at = CURRENT_TIMESTAMP WHERE status = 'proposed'"
    )


def downgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.drop_index("ix_pair_status_next_charter_nudge_at")
        batch_op.drop_index("ix_pair_status_next_ack_reminder_at")
        batch_op.drop_index("ix_pair_status_next_proposal_check_at")
        batch_op.drop_column("next_charter_nudge_at")
        batch_op.drop_column("next_ack_reminder_at")
        batch_op.drop_column("next_proposal_check_at")
