"""cohort settings: a cohort may have its own default cadence, review interval and
celebrations channel

Each is nullable: an unset value (every cohort before this revision) falls back to the
workspace's setting, as before.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 12:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cohort") as batch_op:
        batch_op.add_column(
            sa.Column("default_cadence", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(sa.Column("review_interval_months", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "celebrations_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("cohort") as batch_op:
        batch_op.drop_column("celebrations_channel")
        batch_op.drop_column("review_interval_months")
        batch_op.drop_column("default_cadence")
