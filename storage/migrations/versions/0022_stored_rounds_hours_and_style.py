"""stored rounds, hours and style: a matching round can be discarded, swapped and reopened;
each person's working hours and working style come from the join form

Existing profiles keep the 09:00–17:00 every round assumed until now, not flexible, and no
working style (which matching then leaves out). Existing rounds are neither discarded nor
hold anyone unmatched to tell.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STYLE_COLUMNS = ("style_channel", "style_pace", "style_feedback")


def upgrade() -> None:
    with op.batch_alter_table("join_profile") as batch_op:
        batch_op.add_column(
            sa.Column("work_start_minute", sa.Integer(), server_default="540", nullable=False)
        )
        batch_op.add_column(
            sa.Column("work_end_minute", sa.Integer(), server_default="1020", nullable=False)
        )
        batch_op.add_column(
            sa.Column("flexible_hours", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        for name in STYLE_COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=16), server_default="", nullable=False)
            )
    with op.batch_alter_table("match_round") as batch_op:
        batch_op.add_column(
            sa.Column("discarded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("unmatched", sa.JSON(), nullable=True))
    with op.batch_alter_table("match_proposal") as batch_op:
        batch_op.add_column(
            sa.Column("similar_style", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("match_proposal") as batch_op:
        batch_op.drop_column("similar_style")
    with op.batch_alter_table("match_round") as batch_op:
        batch_op.drop_column("unmatched")
        batch_op.drop_column("discarded_at")
    with op.batch_alter_table("join_profile") as batch_op:
        for name in reversed(STYLE_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("flexible_hours")
        batch_op.drop_column("work_end_minute")
        batch_op.drop_column("work_start_minute")
