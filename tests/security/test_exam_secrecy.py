"""Exam answers and keys stay hidden from every route until the exam ends (issue 18 point 5).

Before, an exam answer updated the learner's review card at once, and the cards feed the
mistakes quiz, the review queue and the progress page: each told whether the answer was right.
"""

from __future__ import annotations

from sqlalchemy import select

from sinorus_learn.database import utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services import progress
from tests.conftest import csrf_token, post_form
from tests.security.conftest import World
from tests.support.quiz import answer_form, item_and_version


def take_exam(world: World, count: int = 6) -> tuple[int, list[str], list[str]]:
    """Start an exam and answer it, odd positions right, even ones wrong; return the attempt
    id and the prompts answered wrongly and rightly."""
    client = world.student
    start = post_form(client, "/quiz/start", {"mode": "exam", "count": str(count),
                      "minutes": "30"}, form_url="/quiz/exam")  # fmt: skip
    assert start.status_code == 302
    url = start.headers["Location"]
    attempt_id = int(url.split("/")[2])
    wrong, right = [], []
    with world.app.app_context():
        total = db.session.get(Attempt, attempt_id).question_count
    for position in range(1, total + 1):
        page_url = f"/quiz/{attempt_id}/q/{position}"
        token = csrf_token(client.get(page_url))
        with world.app.app_context():
            item, version = item_and_version(attempt_id, position)
            form = answer_form(version, item.presented, right=bool(position % 2))
        (right if position % 2 else wrong).append(version.prompt)
        assert client.post(page_url, data={**form, "csrf_token": token}).status_code == 302
    with world.app.app_context():
        marks = db.session.scalars(
            select(AnswerRecord.correct).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert sorted(marks) == sorted([False] * len(wrong) + [True] * len(right))
    return attempt_id, wrong, right


def test_an_open_exam_leaks_nothing_anywhere(world: World) -> None:
    attempt_id, wrong, right = take_exam(world)
    client = world.student
    # The mistakes quiz has nothing to ask: the exam's wrong answers are not known yet.
    mistakes = post_form(client, "/quiz/start", {"mode": "mistakes", "count": "10"},
                         form_url="/quiz/practice", follow_redirects=True)  # fmt: skip
    assert "no mistakes to revisit" in mistakes.get_data(as_text=True)
    # Progress: no weak spots, no answers per day, no mastery from the exam.
    page = client.get("/progress").get_data(as_text=True)
    for prompt in wrong + right:
        assert prompt[:60] not in page
    with world.app.app_context():
        user_id = db.session.get(Attempt, attempt_id).user_id
        now = utcnow()
        due = progress.due_status(user_id, now)
        assert (due.now, due.held, due.later_today, due.week) == (0, 0, 0, 0)
        assert progress.weakest(user_id) == []
        assert progress.daily_answers(user_id, since=now.replace(hour=0, minute=0)) == []
        assert db.session.scalar(select(ReviewCard.id).where(ReviewCard.user_id == user_id)) is None
    # History: the running score is not shown; the review page waits for the end.
    history = client.get("/quiz/history").get_data(as_text=True)
    assert f"{float(len(right)):.1f} / {len(wrong) + len(right)}" not in history
    assert client.get(f"/quiz/{attempt_id}/review").status_code == 302
    # The question pages show no feedback for any answered item.
    for position in range(1, len(wrong) + len(right) + 1):
        body = client.get(f"/quiz/{attempt_id}/q/{position}").get_data(as_text=True)
        assert "Not quite." not in body and "Right." not in body


def test_finishing_the_exam_records_it_everywhere(world: World) -> None:
    attempt_id, wrong, right = take_exam(world)
    client = world.student
    token = csrf_token(client.get(f"/quiz/{attempt_id}/q/1"))
    assert client.post(f"/quiz/{attempt_id}/finish", data={"csrf_token": token}).status_code == 302
    with world.app.app_context():
        user_id = db.session.get(Attempt, attempt_id).user_id
        cards = db.session.execute(
            select(ReviewCard.reps, ReviewCard.last_correct).where(ReviewCard.user_id == user_id)
        ).all()
        assert sorted(c for _, c in cards) == sorted([False] * len(wrong) + [True] * len(right))
        assert {reps for reps, _ in cards} == {1}
        assert len(progress.weakest(user_id, limit=30)) == len(wrong)
    history = client.get("/quiz/history").get_data(as_text=True)
    assert f"{float(len(right)):.1f} / {len(wrong) + len(right)}" in history
    mistakes = post_form(client, "/quiz/start", {"mode": "mistakes", "count": "10"},
                         form_url="/quiz/practice")  # fmt: skip
    assert mistakes.status_code == 302 and "/q/1" in mistakes.headers["Location"]
    with world.app.app_context():
        new_id = int(mistakes.headers["Location"].split("/")[2])
        assert db.session.get(Attempt, new_id).question_count == len(wrong)
