"""Write raw history rows (learners, questions, attempts, answers, cards) into a migrated schema."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any


def insert_row(conn: Any, tables: Any, name: str, **values: Any) -> None:
    """Insert one row into table ``name`` of the reflected ``tables``."""
    conn.execute(tables[name].insert().values(**values))


def seed_history(
    conn: Any, tables: Any, answers: Any, now: datetime, was_due: Sequence[bool] = ()
) -> None:
    """Two learners, two questions, and ``answers``: (learner, question, right, when) each;
    ``was_due`` says, answer by answer, whether it was a review given when due (default: no)."""
    due = list(was_due) or [False] * len(answers)  # zip(strict=True): one flag per answer
    for uid in (1, 2):
        insert_row(
            conn,
            tables,
            "users",
            id=uid,
            email=f"u{uid}@example.org",
            display_name="U",
            password_hash="x",
            role="student",
            active=True,
            session_version=0,
            failed_logins=0,
            created_at=now,
        )
    for qid in (1, 2):
        insert_row(
            conn,
            tables,
            "questions",
            id=qid,
            key=f"q{qid}",
            origin="authored",
            status="active",
            topic="energy",
            qtype="true_false",
            tags=[],
            created_at=now,
            updated_at=now,
        )
        insert_row(
            conn,
            tables,
            "question_versions",
            id=qid,
            question_id=qid,
            number=1,
            content_hash="h",
            qtype="true_false",
            prompt="P",
            answer=True,
            explanation="E",
            difficulty=1,
            source={},
            created_at=now,
        )
    rows = zip(answers, due, strict=True)
    for number, ((uid, qid, correct, when), given_due) in enumerate(rows, start=1):
        insert_row(
            conn,
            tables,
            "attempts",
            id=number,
            user_id=uid,
            mode="lesson",
            params={},
            seed=1,
            status="finished",
            question_count=1,
            answered_count=1,
            score=float(correct),
            started_at=when,
        )
        insert_row(
            conn,
            tables,
            "attempt_items",
            id=number,
            attempt_id=number,
            position=1,
            question_id=qid,
            question_version_id=qid,
            presented={},
        )
        insert_row(
            conn,
            tables,
            "responses",
            id=number,
            attempt_item_id=number,
            attempt_id=number,
            user_id=uid,
            question_id=qid,
            question_version_id=qid,
            answer=correct,
            score=float(correct),
            correct=correct,
            time_ms=0,
            was_due=given_due,
            answered_at=when,
        )
    for number, (uid, qid) in enumerate(sorted({(a[0], a[1]) for a in answers}), start=1):
        insert_row(
            conn,
            tables,
            "review_cards",
            id=number,
            user_id=uid,
            question_id=qid,
            state={},
            due=now,
            last_review=now,
            reps=1,
            lapses=0,
        )
