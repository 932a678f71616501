"""Store small questions and graded answers directly, for tests of what is computed from them."""

from __future__ import annotations

from typing import Any

from sinorus_learn.database import utcnow
from sinorus_learn.domain.qtypes.explain import ChecklistPoint, ExplainAnswer
from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, AttemptItem, Question
from sinorus_learn.services.content_sync import new_question


def mc_spec(key: str, topic: str = "energy", answer: str = "Right") -> QuestionSpec:
    """Return a small multiple-choice spec."""
    return QuestionSpec(
        key=key,
        type="multiple_choice",
        prompt=f"Question {key}?",
        choices=("Right", "X", "Y", "Z"),
        answer=answer,
        explanation="Because.",
        topic=topic,
    )


def explain_spec(
    key: str, topic: str = "energy", points: int = 3, model: str = "Model answer."
) -> QuestionSpec:
    """Return a small explain spec with ``points`` checklist points."""
    return QuestionSpec(
        key=key,
        type="explain",
        prompt=f"Explain {key} in your own words.",
        choices=None,
        answer=ExplainAnswer(
            model=model,
            points=tuple(
                ChecklistPoint(f"Point {i + 1}", f"evidence {i + 1}", topic, (i + 1,))
                for i in range(points)
            ),
        ),
        explanation="Because.",
        topic=topic,
        level="explain",
    )


WRITTEN = (
    "Russia sells China oil and weapons because it needs the money, and China needs the "
    "energy for its growth, so the two work together."
)


def add_questions(app: Any, *specs: QuestionSpec, origin: str = "authored") -> list[int]:
    """Store questions; return their ids."""
    with app.app_context():
        ids = [new_question(spec, origin).id for spec in specs]
        db.session.commit()
    return ids


def record(app: Any, user_id: int, question_id: int, answer: str, when: Any = None) -> None:
    """Store one graded answer (an attempt of one question) as the quiz service would."""
    correct = answer == "Right"
    when = when or utcnow()
    with app.app_context():
        question = db.session.get(Question, question_id)
        attempt = Attempt(
            user_id=user_id,
            mode="practice",
            seed=0,
            question_count=1,
            answered_count=1,
            score=float(correct),
            status="finished",
            started_at=when,
            finished_at=when,
        )
        db.session.add(attempt)
        db.session.flush()
        item = AttemptItem(
            attempt_id=attempt.id,
            position=1,
            question_id=question_id,
            question_version_id=question.current_version_id,
            presented={},
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(
            AnswerRecord(
                attempt_item_id=item.id,
                attempt_id=attempt.id,
                user_id=user_id,
                question_id=question_id,
                question_version_id=question.current_version_id,
                answer=answer,
                score=float(correct),
                correct=correct,
                answered_at=when,
            )
        )
        db.session.commit()
