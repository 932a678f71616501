"""Objectives, skill levels, sibling facts and evidence on questions; spaced retention on cards.

Questions gain the objectives they serve, their skill level, the fact they ask and the facts
their stem states (quiz selection reads these); versions gain the report's words behind the key
and per-option feedback. Review cards gain the answers given at least a day after the previous
answer to the same question (and how many were right), filled here from the responses: that is
measured retention, which same-day re-asks used to inflate.

Revision ID: 7a4e2b9c1d05
Revises: 3c1d2e7a9b40
Create Date: 2026-12-02 18:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7a4e2b9c1d05"
down_revision = "3c1d2e7a9b40"
branch_labels = None
depends_on = None

SPACING = 86_400  # seconds: a review counts toward retention a day after the previous answer


def upgrade():
    # Plain ADD COLUMNs with server defaults: on SQLite a batch copy of these tables, which
    # others reference, would trip the foreign keys of existing history.
    empty_list = "[]"
    with op.batch_alter_table("questions") as batch:
        batch.add_column(
            sa.Column("objectives", sa.JSON(), server_default=empty_list, nullable=False)
        )
        batch.add_column(sa.Column("level", sa.String(20), server_default="", nullable=False))
        batch.add_column(sa.Column("fact", sa.String(255), server_default="", nullable=False))
        batch.add_column(sa.Column("given", sa.JSON(), server_default=empty_list, nullable=False))
        batch.create_index("ix_questions_level", ["level"])
        batch.create_index("ix_questions_fact", ["fact"])
    with op.batch_alter_table("question_versions") as batch:
        batch.add_column(sa.Column("evidence", sa.Text(), server_default="", nullable=False))
        batch.add_column(
            sa.Column("option_feedback", sa.JSON(), server_default=empty_list, nullable=False)
        )

    with op.batch_alter_table("review_cards") as batch:
        batch.add_column(
            sa.Column("spaced_reviews", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("spaced_passed", sa.Integer(), server_default="0", nullable=False))
    _fill_spaced_reviews()


def _fill_spaced_reviews():
    """Count, per card, the answers given a day or more after the previous one."""
    bind = op.get_bind()
    responses = sa.table(
        "responses",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("question_id", sa.Integer),
        sa.column("correct", sa.Boolean),
        sa.column("answered_at", sa.DateTime),
    )
    rows = bind.execute(
        sa.select(
            responses.c.user_id,
            responses.c.question_id,
            responses.c.correct,
            responses.c.answered_at,
        ).order_by(responses.c.user_id, responses.c.question_id, responses.c.answered_at)
    ).all()
    counts = {}
    previous = {}
    for user_id, question_id, correct, answered_at in rows:
        key = (user_id, question_id)
        before = previous.get(key)
        previous[key] = answered_at
        if before is None or _seconds(answered_at, before) < SPACING:
            continue
        reviews, passed = counts.get(key, (0, 0))
        counts[key] = (reviews + 1, passed + int(bool(correct)))
    cards = sa.table(
        "review_cards",
        sa.column("user_id", sa.Integer),
        sa.column("question_id", sa.Integer),
        sa.column("spaced_reviews", sa.Integer),
        sa.column("spaced_passed", sa.Integer),
    )
    for (user_id, question_id), (reviews, passed) in counts.items():
        bind.execute(
            sa.update(cards)
            .where(cards.c.user_id == user_id, cards.c.question_id == question_id)
            .values(spaced_reviews=reviews, spaced_passed=passed)
        )


def _seconds(later, earlier):
    """Seconds between two stored times (SQLite may hand back naive datetimes or strings)."""
    from datetime import datetime

    def parse(value):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=None)

    return (parse(later) - parse(earlier)).total_seconds()


def downgrade():
    with op.batch_alter_table("review_cards") as batch:
        batch.drop_column("spaced_passed")
        batch.drop_column("spaced_reviews")
    with op.batch_alter_table("question_versions") as batch:
        batch.drop_column("option_feedback")
        batch.drop_column("evidence")
    with op.batch_alter_table("questions") as batch:
        batch.drop_index("ix_questions_fact")
        batch.drop_index("ix_questions_level")
        batch.drop_column("given")
        batch.drop_column("fact")
        batch.drop_column("level")
        batch.drop_column("objectives")
