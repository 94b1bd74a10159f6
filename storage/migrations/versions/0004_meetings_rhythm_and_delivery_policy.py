"""meetings rhythm and delivery policy

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 14:12:46.797578
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_dm_count",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_daily_dm_count_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", "day", name=op.f("pk_daily_dm_count")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        # Server defaults let the new NOT NULL columns be added to tables that already have rows.
        batch_op.add_column(
            sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(
            sa.Column("next_nudge_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_next_nudge_at"), ["next_nudge_at"], unique=False
        )

    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_series_pair_id"))
        batch_op.create_index(batch_op.f("ix_meeting_series_pair_id"), ["pair_id"], unique=True)
        batch_op.add_column(
            sa.Column("sequence", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(
            sa.Column("lapse_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_lapse_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_series_next_lapse_at"), ["next_lapse_at"], unique=False
        )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audience", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("exempt_from_cap", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("folded_into", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_outbox_folded_into"), ["folded_into"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_folded_into"))
        batch_op.drop_column("folded_into")
        batch_op.drop_column("exempt_from_cap")
        batch_op.drop_column("audience")

    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_series_next_lapse_at"))
        batch_op.drop_column("next_lapse_at")
        batch_op.drop_column("lapse_since")
        batch_op.drop_column("sequence")
        batch_op.drop_index(batch_op.f("ix_meeting_series_pair_id"))
        batch_op.create_index(batch_op.f("ix_meeting_series_pair_id"), ["pair_id"], unique=False)

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_next_nudge_at"))
        batch_op.drop_column("next_nudge_at")
        batch_op.drop_column("revision")

    op.drop_table("daily_dm_count")
