"""charter sides and personal wins: success and constraints for each side of the charter, and
wins outside any goal

The charter had one shared "what success looks like"; it now has one for the mentor and one
for the mentee, and each side's constraints (time, travel, topics to avoid this quarter).
Existing versions keep their shared text: it is copied into both sides, so an old charter
opens in the form with it on each side and its next version changes only what someone edits.
The shared column stays for those versions (new ones leave it empty).

`personal_win` holds what `/tandem celebrate` records: a win in its owner's words, celebrated
(and, with consent, announced) through `celebration` rows of kind "win".

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIDES = ("mentor_success", "mentee_success", "mentor_constraints", "mentee_constraints")


def upgrade() -> None:
    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        for name in SIDES:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
    op.execute(
        "UPDATE charter_version SET mentor_success = success_looks_like, "
        "mentee_success = success_looks_like"
    )
    op.create_table(
        "personal_win",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["person.id"], name=op.f("fk_personal_win_owner_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pair.id"], name=op.f("fk_personal_win_pair_id_pair")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspace.team_id"], name=op.f("fk_personal_win_team_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_win")),
    )
    for column in ("owner_id", "pair_id", "team_id"):
        op.create_index(op.f(f"ix_personal_win_{column}"), "personal_win", [column])


def downgrade() -> None:
    for column in ("owner_id", "pair_id", "team_id"):
        op.drop_index(op.f(f"ix_personal_win_{column}"), table_name="personal_win")
    op.drop_table("personal_win")
    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        for name in reversed(SIDES):
            batch_op.drop_column(name)
