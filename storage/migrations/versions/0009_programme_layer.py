"""programme layer: cohorts, join profiles, matching rounds, admin actions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:09:25.230419
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("closing_due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_cohort_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort")),
        sa.UniqueConstraint("team_id", "name", name=op.f("uq_cohort_team_id")),
    )
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohort_closing_due_at"), ["closing_due_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cohort_team_id"), ["team_id"], unique=False)

    op.create_table(
        "join_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=True),
        sa.Column("seeks", sa.JSON(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("in_pool", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_join_profile_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_join_profile_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_profile")),
        sa.UniqueConstraint("team_id", "person_id", name=op.f("uq_join_profile_team_id")),
    )
    with op.batch_alter_table("join_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_join_profile_in_pool"), ["in_pool"], unique=False)
        batch_op.create_index(batch_op.f("ix_join_profile_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_join_profile_team_id"), ["team_id"], unique=False)

    op.create_table(
        "match_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("run_by_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohort.id"], name=op.f("fk_match_round_cohort_id_cohort")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_match_round_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_round")),
    )
    with op.batch_alter_table("match_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_round_team_id"), ["team_id"], unique=False)

    op.create_table(
        "admin_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("admin_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pair.id"], name=op.f("fk_admin_action_pair_id_pair")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_admin_action_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_action")),
    )
    with op.batch_alter_table("admin_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_action_pair_id"), ["pair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_action_team_id"), ["team_id"], unique=False)

    op.create_table(
        "match_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("shared_topics", sa.JSON(), nullable=True),
        sa.Column("overlap_minutes", sa.Integer(), nullable=False),
        sa.Column("dropped", sa.Boolean(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["person.id"], name=op.f("fk_match_proposal_mentee_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["person.id"], name=op.f("fk_match_proposal_mentor_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pair.id"], name=op.f("fk_match_proposal_pair_id_pair")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["match_round.id"], name=op.f("fk_match_proposal_round_id_match_round")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_match_proposal_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposal")),
        sa.UniqueConstraint(
            "round_id", "mentor_id", "mentee_id", name=op.f("uq_match_proposal_round_id")
        ),
    )
    with op.batch_alter_table("match_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_proposal_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_proposal_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cohort_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_pair_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_pair_cohort_id_cohort"), "cohort", ["cohort_id"], ["id"]
        )

    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_admins", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("topics", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("topics")
        batch_op.drop_column("programme_admins")

    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pair_cohort_id_cohort"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_pair_cohort_id"))
        batch_op.drop_column("cohort_id")

    with op.batch_alter_table("match_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_proposal_team_id"))
        batch_op.drop_index(batch_op.f("ix_match_proposal_round_id"))

    op.drop_table("match_proposal")
    with op.batch_alter_table("admin_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_action_team_id"))
        batch_op.drop_index(batch_op.f("ix_admin_action_pair_id"))

    op.drop_table("admin_action")
    with op.batch_alter_table("match_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_round_team_id"))

    op.drop_table("match_round")
    with op.batch_alter_table("join_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_join_profile_team_id"))
        batch_op.drop_index(batch_op.f("ix_join_profile_person_id"))
        batch_op.drop_index(batch_op.f("ix_join_profile_in_pool"))

    op.drop_table("join_profile")
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_team_id"))
        batch_op.drop_index(batch_op.f("ix_cohort_closing_due_at"))

    op.drop_table("cohort")
