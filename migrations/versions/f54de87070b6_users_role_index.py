"""Index users.role; drop the unused index on responses.answered_at.

The home page asks on every visit whether an admin exists (is setup done?): without an index
that read every user. No query filters responses by time alone (each starts from the learner),
so the answered_at index only cost every answer one more index write.

Revision ID: f54de87070b6
Revises: ade9011b0e81
Create Date: 2026-11-29 07:16:38.878845

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "f54de87070b6"
down_revision = "ade9011b0e81"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_users_role", "users", ["role"], unique=False)
    op.drop_index("ix_responses_answered_at", table_name="responses")


def downgrade():
    op.create_index("ix_responses_answered_at", "responses", ["answered_at"], unique=False)
    op.drop_index("ix_users_role", table_name="users")
