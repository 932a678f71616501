"""Site search: the passages of lessons and the timeline, and their full-text index.

The passages are filled by ``flask content load`` (run it after upgrading; until then the
search finds nothing). The index depends on the database: a GIN index over
``to_tsvector('english', body)`` on PostgreSQL; an FTS5 table reading this table's rows
(external content) on SQLite, which Alembic does not compare (see ``include_name`` in env.py).

Revision ID: 343e392cedbd
Revises: c5a9e2f47d13
Create Date: 2026-12-03 06:12:43

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "343e392cedbd"
down_revision = "c5a9e2f47d13"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_passages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("anchor", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_passages")),
        sa.UniqueConstraint("key", name=op.f("uq_search_passages_key")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.create_index(
            "ix_search_passages_body_tsv",
            "search_passages",
            [sa.text("to_tsvector('english', body)")],
            postgresql_using="gin",
        )
    elif dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_passages', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.drop_index("ix_search_passages_body_tsv", table_name="search_passages")
    elif dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_passages")
