"""Drafts, HTML question text and import jobs.

Imported questions land as drafts (``questions.status`` = "draft", a new value of the same
column: nothing to change in the schema); a version records whether its prompt and explanation
are Markdown or HTML (a GIFT [html] file's), every existing one Markdown; and a web import runs
as a job whose row holds the uploaded file, its progress and its outcome.

Revision ID: 171242b04706
Revises: 88cb307f33bd
Create Date: 2026-12-03 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "171242b04706"
down_revision = "88cb307f33bd"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_versions") as batch:
        batch.add_column(
            sa.Column(
                "text_format", sa.String(length=10), server_default="markdown", nullable=False
            )
        )
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("added_keys", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_import_jobs_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    with op.batch_alter_table("import_jobs") as batch:
        batch.create_index(batch.f("ix_import_jobs_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("import_jobs") as batch:
        batch.drop_index(batch.f("ix_import_jobs_user_id"))
    op.drop_table("import_jobs")
    # Drafts were never live: a downgraded bank must not start showing them to learners.
    op.execute("UPDATE questions SET status = 'retired' WHERE status = 'draft'")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's own DROP COLUMN (3.35+): batch mode would copy the table, and dropping the
        # old copy fails once answers point at its versions (foreign keys are on).
        op.execute("ALTER TABLE question_versions DROP COLUMN text_format")
    else:
        op.drop_column("question_versions", "text_format")
