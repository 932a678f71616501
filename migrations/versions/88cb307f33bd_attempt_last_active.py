"""When each attempt was last touched: an attempt left alone for a day is abandoned.

Filled from each attempt's latest answer, or its start when it has none, so attempts left
open before this change count as abandoned at once when they are a day old. Nothing else
changes: their status stays "active" until the learner opens one (it is then closed as
"abandoned"); lists show the status they have now.

Revision ID: 88cb307f33bd
Revises: 343e392cedbd
Create Date: 2026-12-03 06:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "88cb307f33bd"
down_revision = "343e392cedbd"
branch_labels = None
depends_on = None


def upgrade():
    # A constant default lets SQLite add a NOT NULL column in place (rebuilding the table would
    # trip the foreign keys of attempt_items and responses); every row is filled just below,
    # and the app always sets the value itself.
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(
            sa.Column(
                "last_active_at",
                sa.DateTime(timezone=True),
                server_default="1970-01-01 00:00:00",
                nullable=False,
            )
        )
    op.execute(
        "UPDATE attempts SET last_active_at = COALESCE("
        "(SELECT MAX(responses.answered_at) FROM responses "
        "WHERE responses.attempt_id = attempts.id), attempts.started_at)"
    )


def downgrade():
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("last_active_at")
