"""personal reminder choice: each person picks their meeting reminders

`person_preference.reminders` holds the day before, an hour before, both or none; empty, the
pair's reminder settings apply (issue 17: one reminder per meeting by default, each person
choosing in /tandem preferences).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person_preference") as batch:
        batch.add_column(sa.Column("reminders", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person_preference") as batch:
        batch.drop_column("reminders")
