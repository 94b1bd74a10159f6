"""calendar feeds: a person's private feed token (hashed), each series' last shown form, and
the spans pairs were paused for

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_calendar_feed_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_calendar_feed_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_hash")),
    )
    op.create_index(op.f("ix_calendar_feed_team_id"), "calendar_feed", ["team_id"])
    op.create_table(
        "calendar_series",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("modified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["meeting_series.id"],
            name=op.f("fk_calendar_series_series_id_meeting_series"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_calendar_series_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("series_id", name=op.f("pk_calendar_series")),
    )
    op.create_index(op.f("ix_calendar_series_team_id"), "calendar_series", ["team_id"])
    op.create_table(
        "paused_span",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["pair_id"], ["pair.id"], name=op.f("fk_paused_span_pair_id_pair")),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_paused_span_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paused_span")),
    )
    op.create_index(op.f("ix_paused_span_pair_id"), "paused_span", ["pair_id"])
    op.create_index(op.f("ix_paused_span_team_id"), "paused_span", ["team_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_paused_span_team_id"), table_name="paused_span")
    op.drop_index(op.f("ix_paused_span_pair_id"), table_name="paused_span")
    op.drop_table("paused_span")
    op.drop_index(op.f("ix_calendar_series_team_id"), table_name="calendar_series")
    op.drop_table("calendar_series")
    op.drop_index(op.f("ix_calendar_feed_team_id"), table_name="calendar_feed")
    op.drop_table("calendar_feed")
