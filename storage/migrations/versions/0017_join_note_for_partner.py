"""join note for partner: a join note reaches the proposed partner only when written under the
form that says so

The join form used to say only programme admins see the note; proposals now show it to the
partner too, so notes written before this revision stay with the admins.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("join_profile") as batch_op:
        batch_op.add_column(
            sa.Column("note_for_partner", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("join_profile") as batch_op:
        batch_op.drop_column("note_for_partner")
