"""One-time password links: an admin's new accounts and instructors' or e-mailed resets.

Only a SHA-256 of each token is stored; a token expires and is spent by its first use.

Revision ID: c5a9e2f47d13
Revises: b81f0c3d5e21
Create Date: 2026-12-02 19:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5a9e2f47d13"
down_revision = "b81f0c3d5e21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_password_tokens_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_tokens_token_hash")),
    )
    with op.batch_alter_table("password_tokens") as batch:
        batch.create_index(batch.f("ix_password_tokens_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("password_tokens") as batch:
        batch.drop_index(batch.f("ix_password_tokens_user_id"))
    op.drop_table("password_tokens")
