"""pair side: notes, co-signing, preferences, home refresh, chapters

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:03:27.853300
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "home_refresh",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_home_refresh")),
    )
    with op.batch_alter_table("home_refresh", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_home_refresh_due_at"), ["due_at"], unique=False)

    op.create_table(
        "nudge_snooze",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_nudge_snooze_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_nudge_snooze_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("person_id", "kind", name=op.f("pk_nudge_snooze")),
    )
    with op.batch_alter_table("nudge_snooze", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nudge_snooze_team_id"), ["team_id"], unique=False)

    op.create_table(
        "person_preference",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("quiet_hours_start", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("quiet_hours_end", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("muted_kinds", sa.JSON(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_preference_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_person_preference_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_preference")),
    )
    with op.batch_alter_table("person_preference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_preference_team_id"), ["team_id"], unique=False)

    op.create_table(
        "charter_change_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("charter_version_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["charter_version_id"],
            ["charter_version.id"],
            name=op.f("fk_charter_change_request_charter_version_id_charter_version"),
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pair.id"], name=op.f("fk_charter_change_request_pair_id_pair")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["person.id"],
            name=op.f("fk_charter_change_request_requester_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspace.team_id"],
            name=op.f("fk_charter_change_request_team_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_change_request")),
    )
    with op.batch_alter_table("charter_change_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charter_change_request_charter_version_id"),
            ["charter_version_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_charter_change_request_pair_id"), ["pair_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_charter_change_request_team_id"), ["team_id"], unique=False
        )

    op.create_table(
        "meeting_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("discussed", sa.Text(), nullable=False),
        sa.Column("lesson", sa.Text(), nullable=False),
        sa.Column("next_actions", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["person.id"], name=op.f("fk_meeting_note_author_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_note_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pair.id"], name=op.f("fk_meeting_note_pair_id_pair")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_meeting_note_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_note")),
        sa.UniqueConstraint(
            "meeting_id", "author_id", "private", name=op.f("uq_meeting_note_meeting_id")
        ),
    )
    with op.batch_alter_table("meeting_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_note_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meeting_note_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_note_pair_id"), ["pair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_note_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))

    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_goal_carried_from_id_goal"), "goal", ["carried_from_id"], ["id"]
        )

    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_pair_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("charter_draft", sa.JSON(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_pair_previous_pair_id"), ["previous_pair_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_pair_previous_pair_id_pair"), "pair", ["previous_pair_id"], ["id"]
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("home_opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("home_opened_at")

    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pair_previous_pair_id_pair"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_pair_previous_pair_id"))
        batch_op.drop_column("charter_draft")
        batch_op.drop_column("previous_pair_id")

    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_goal_carried_from_id_goal"), type_="foreignkey")
        batch_op.drop_column("carried_from_id")

    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        batch_op.drop_column("starts_on")

    with op.batch_alter_table("meeting_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_note_team_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_note_pair_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_note_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_note_author_id"))

    op.drop_table("meeting_note")
    with op.batch_alter_table("charter_change_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_change_request_team_id"))
        batch_op.drop_index(batch_op.f("ix_charter_change_request_pair_id"))
        batch_op.drop_index(batch_op.f("ix_charter_change_request_charter_version_id"))

    op.drop_table("charter_change_request")
    with op.batch_alter_table("person_preference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_preference_team_id"))

    op.drop_table("person_preference")
    with op.batch_alter_table("nudge_snooze", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nudge_snooze_team_id"))

    op.drop_table("nudge_snooze")
    with op.batch_alter_table("home_refresh", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_home_refresh_due_at"))

    op.drop_table("home_refresh")
