"""pair imports: a list of pairs brought in from Slack, previewed until the admin sends it

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pair_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("admin_user_id", sa.String(length=32), nullable=False),
        sa.Column("default_cohort_id", sa.Integer(), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("refused", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_pair_import_team_id_workspace")
        ),
        sa.ForeignKeyConstraint(
            ["default_cohort_id"],
            ["cohort.id"],
            name=op.f("fk_pair_import_default_cohort_id_cohort"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_import")),
    )
    op.create_index(op.f("ix_pair_import_team_id"), "pair_import", ["team_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pair_import_team_id"), table_name="pair_import")
    op.drop_table("pair_import")
