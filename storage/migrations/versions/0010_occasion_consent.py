"""occasion consent: who agreed to share a pair's anniversary or streak

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("celebration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consented_by", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("celebration", schema=None) as batch_op:
        batch_op.drop_column("consented_by")
