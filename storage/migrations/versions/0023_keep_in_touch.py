"""keep in touch after graduating: each member's choice, and the next light check-in

Two graduates may each choose "keep in touch" (`mentor_keeps_in_touch_at`,
`mentee_keeps_in_touch_at`); once both have, `next_check_in_at` says when the next of the two
check-ins (3 and 6 months after the end) is due, indexed with the status like the other
`next_*_at` columns. Old rows keep working: nobody has chosen, nothing is due.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "mentor_keeps_in_touch_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "mentee_keeps_in_touch_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("next_check_in_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            "ix_pair_status_next_check_in_at", ["status", "next_check_in_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.drop_index("ix_pair_status_next_check_in_at")
        batch_op.drop_column("next_check_in_at")
        batch_op.drop_column("mentee_keeps_in_touch_at")
        batch_op.drop_column("mentor_keeps_in_touch_at")
