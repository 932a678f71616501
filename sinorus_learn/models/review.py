"""Spaced-repetition cards: one per learner and question.

A card is also the learner's running record of that question (answers, wrong answers, the
latest result, due reviews passed), kept by the same write that schedules it: the progress page
and quiz selection read these few rows instead of aggregating every response the learner gave.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from sinorus_learn.database import UTCDateTime
from sinorus_learn.extensions import db


class ReviewCard(db.Model):
    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_cards_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)  # the fsrs card, as its to_dict()
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(default=0)  # answers given to this question
    lapses: Mapped[int] = mapped_column(default=0)  # answers rated Again
    wrong: Mapped[int] = mapped_column(default=0, server_default="0")  # answers graded wrong
    last_correct: Mapped[bool] = mapped_column(default=False, server_default=false())
    # answers given when the card was due (review mode), and how many of those were right:
    # the learner's measured retention, as Anki's "true retention"
    due_reviews: Mapped[int] = mapped_column(default=0, server_default="0")
    due_passed: Mapped[int] = mapped_column(default=0, server_default="0")
    # answers given at least a day after the previous answer to the question, and how many
    # were right: measured retention, which a same-day re-ask would flatter
    spaced_reviews: Mapped[int] = mapped_column(default=0, server_default="0")
    spaced_passed: Mapped[int] = mapped_column(default=0, server_default="0")
