"""Deeper practice: hints, certainty-based marking and self-assessed explanations (issue 17).

Every new column is nullable or has a constant server default, so SQLite adds it in place and
the learners' history is untouched: earlier answers have no certainty, were given without a
hint and were never pending a self-assessment.

Revision ID: 5d2c8e1f9a47
Revises: 171242b04706
Create Date: 2026-12-03 09:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d2c8e1f9a47"
down_revision = "171242b04706"
branch_labels = None
depends_on = None

FALSE = sa.false()


def upgrade():
    # Plain ADD COLUMNs: SQLite adds them in place (a batch copy of users or attempts would
    # trip the foreign keys that point at them).
    op.add_column("question_versions", sa.Column("hint", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "users", sa.Column("confidence_default", sa.Boolean(), server_default=FALSE, nullable=False)
    )
    op.add_column(
        "attempts", sa.Column("confidence", sa.Boolean(), server_default=FALSE, nullable=False)
    )
    op.add_column("attempt_items", sa.Column("hint_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("responses", sa.Column("certainty", sa.SmallInteger(), nullable=True))
    op.add_column("responses", sa.Column("cbm_mark", sa.Float(), nullable=True))
    op.add_column(
        "responses", sa.Column("hinted", sa.Boolean(), server_default=FALSE, nullable=False)
    )
    op.add_column(
        "responses", sa.Column("pending", sa.Boolean(), server_default=FALSE, nullable=False)
    )
    op.add_column("responses", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
    # SQLite cannot add a constraint in place: batch mode copies responses (no other table
    # points at it, so the copy trips no foreign key).
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("corrected_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_responses_corrected_by_id_users", "users", ["corrected_by_id"], ["id"]
        )


def downgrade():
    # The constraint goes with a batch copy of responses; the plain columns are dropped in
    # place (a batch copy of attempt_items, users or attempts would trip their foreign keys).
    with op.batch_alter_table("responses") as batch:
        batch.drop_constraint("fk_responses_corrected_by_id_users", type_="foreignkey")
        batch.drop_column("corrected_by_id")
    for column in ("corrected_at", "pending", "hinted", "cbm_mark", "certainty"):
        op.drop_column("responses", column)
    op.drop_column("attempt_items", "hint_at")
    op.drop_column("attempts", "confidence")
    op.drop_column("users", "confidence_default")
    op.drop_column("question_versions", "hint")
