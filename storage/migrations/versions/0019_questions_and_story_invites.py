"""questions and story invites: the mentor's rotating question, and a quarterly invitation

Three columns on each pair: the id of the question its mentor's last reminder carried (so the
next one differs), when its invitation to share a story or a misstep is next looked at
(indexed with the status like the other `next_*_at` columns), and when it was last sent.
Pairs already tracked by the scheduler get their first look at the first tick after the
upgrade (which invites only those together long enough); pairs tracked later get it from the
scheduler's due dates (bot.reflection.due_dates). Contributions need no change: the new kinds
("story", "misstep") fit the kind column.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_question_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("next_story_invite_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("story_invited_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            "ix_pair_status_next_story_invite_at", ["status", "next_story_invite_at"], unique=False
        )
    op.execute(
        "UPDATE pair SET next_story_invite_at = CURRENT_TIMESTAMP "
        "WHERE due_dates_set AND status IN ('active', 'paused')"
    )


def downgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.drop_index("ix_pair_status_next_story_invite_at")
        batch_op.drop_column("story_invited_at")
        batch_op.drop_column("next_story_invite_at")
        batch_op.drop_column("last_question_id")
