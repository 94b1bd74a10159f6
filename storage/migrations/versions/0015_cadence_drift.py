"""cadence drift: the pair's lived rhythm against its charter's, looked at on a due date

Pairs already tracked by the scheduler get their first look at the first tick after the
upgrade (`next_drift_check_at` set to the upgrade's time); pairs tracked later get it from
the scheduler's due dates (bot.reflection.drift.arm_drift_checks).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_drift_check_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("drift_cadence", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(sa.Column("drift_expected", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("drift_met", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("drift_quiet_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("drift_to_review", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            "ix_pair_status_next_drift_check_at", ["status", "next_drift_check_at"], unique=False
        )
    op.execute(
        "UPDATE pair SET next_drift_check_at = CURRENT_TIMESTAMP "
        "WHERE due_dates_set AND status IN ('active', 'paused')"
    )


def downgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.drop_index("ix_pair_status_next_drift_check_at")
        batch_op.drop_column("drift_to_review")
        batch_op.drop_column("drift_quiet_until")
        batch_op.drop_column("drift_met")
        batch_op.drop_column("drift_expected")
        batch_op.drop_column("drift_cadence")
        batch_op.drop_column("next_drift_check_at")
