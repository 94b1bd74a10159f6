"""celebration share attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 14:11:23.640075

Each retry of a channel announcement gets its own outbox key (attempt number), and the
scheduler finds announcements still in flight by their share status.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (the template imports it for every revision)
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("celebration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_celebration_share_status"), ["share_status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("celebration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_celebration_share_status"))
        batch_op.drop_column("share_attempts")
