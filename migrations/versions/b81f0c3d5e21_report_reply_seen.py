"""When a learner read the reply to their problem report.

A reply used to stay on the instructors' page; learners now see it in their inbox, on the
question's feedback, and as a notice until they mark it read. Existing replies start unread, so
learners who reported before this change see the answers they never got.

Revision ID: b81f0c3d5e21
Revises: 7a4e2b9c1d05
Create Date: 2026-12-02 19:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b81f0c3d5e21"
down_revision = "7a4e2b9c1d05"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("problem_reports") as batch:
        batch.add_column(sa.Column("reply_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("problem_reports") as batch:
        batch.drop_column("reply_seen_at")
