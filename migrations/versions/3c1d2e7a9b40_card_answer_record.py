"""Keep each learner's record of a question on its review card.

The card gains the wrong answers, the latest result, and the due reviews and how many passed.

The progress page and quiz selection asked, on every visit, for the newest response to each
question, the wrong answers per question and the due reviews passed: aggregates over every
response the learner ever gave. The answer that schedules the card now keeps them on it;
existing cards are filled from the responses here.

What is still read from responses (answers per day, reviews done today) gets an index that
covers it: a range of one learner's answers by time, without visiting the rows.

Revision ID: 3c1d2e7a9b40
Revises: f54de87070b6
Create Date: 2026-11-29 10:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3c1d2e7a9b40"
down_revision = "f54de87070b6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_cards") as batch:
        batch.add_column(sa.Column("wrong", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("last_correct", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("due_reviews", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("due_passed", sa.Integer(), server_default="0", nullable=False))
    cards = sa.table(
        "review_cards",
        sa.column("user_id", sa.Integer),
        sa.column("question_id", sa.Integer),
        sa.column("wrong", sa.Integer),
        sa.column("last_correct", sa.Boolean),
        sa.column("due_reviews", sa.Integer),
        sa.column("due_passed", sa.Integer),
    )
    responses = sa.table(
        "responses",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("question_id", sa.Integer),
        sa.column("correct", sa.Boolean),
        sa.column("was_due", sa.Boolean),
    )
    mine = (responses.c.user_id == cards.c.user_id) & (
        responses.c.question_id == cards.c.question_id
    )

    def count(*condition):
        return sa.select(sa.func.count()).where(mine, *condition).scalar_subquery()

    due = responses.c.was_due.is_(True)
    latest = (
        sa.select(responses.c.correct)
        .where(mine)
        .order_by(responses.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    op.create_index(
        "ix_responses_user_time", "responses", ["user_id", "answered_at", "correct", "was_due"]
    )
    op.execute(
        sa.update(cards).values(
            wrong=count(responses.c.correct.is_(False)),
            last_correct=sa.func.coalesce(latest, sa.false()),
            due_reviews=count(due),
            due_passed=count(due, responses.c.correct.is_(True)),
        )
    )


def downgrade():
    op.drop_index("ix_responses_user_time", table_name="responses")
    with op.batch_alter_table("review_cards") as batch:
        batch.drop_column("due_passed")
        batch.drop_column("due_reviews")
        batch.drop_column("last_correct")
        batch.drop_column("wrong")
