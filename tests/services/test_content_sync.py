"""``content load`` is idempotent, versions changed questions and retires removed ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sinorus_learn import create_app
from sinorus_learn.extensions import db
from sinorus_learn.models import Lesson, Question, QuestionVersion, TimelineEvent
from sinorus_learn.services import quiz
from sinorus_learn.services.content_sync import add_version, load_content
from sinorus_learn.services.quiz import QuizRequest
from tests.conftest import TEST_DATABASE_URL

BANK = Path(__file__).resolve().parent.parent.parent / "question_bank"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """A private copy of question_bank/ that a test may edit."""
    shutil.copytree(BANK, tmp_path / "bank")
    return tmp_path / "bank"


@pytest.fixture
def sync_app(bank: Path, database_url: str):
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "QUESTION_BANK_DIR": bank}
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            db.drop_all()
        db.engine.dispose()


def counts() -> tuple[int, int, int, int]:
    return (
        db.session.scalar(select(func.count(Lesson.id))),
        db.session.scalar(select(func.count(TimelineEvent.id))),
        db.session.scalar(select(func.count(Question.id))),
        db.session.scalar(select(func.count(QuestionVersion.id))),
    )


def edit_question(bank: Path, key: str, old: str, new: str) -> None:
    path = bank / "questions" / f"{key.split(':')[1]}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loading_twice_changes_nothing(sync_app, bank: Path) -> None:
    with sync_app.app_context():
        first = load_content(bank).counts
        before = counts()
        second = load_content(bank).counts
        assert counts() == before
    assert first["lessons added"] == 9 and first["questions added"] >= 250
    assert set(second) == {
        "lessons unchanged",
        "timeline events unchanged",
        "search passages unchanged",
        "questions unchanged",
    }


def test_cli_load_twice_reports_unchanged(sync_app) -> None:
    runner = sync_app.test_cli_runner()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    again = runner.invoke(args=["content", "load"])
    assert again.exit_code == 0
    assert "questions unchanged" in again.output and "added" not in again.output


def test_changed_question_gets_a_version_and_history_keeps_the_old(sync_app, bank) -> None:
    with sync_app.app_context():
        load_content(bank)
        question = db.session.scalar(
            select(Question).where(Question.topic == "sco", Question.origin == "authored")
        )
        key, old_version = question.key, question.current_version_id
        prompt = db.session.get(QuestionVersion, old_version).prompt
    edit_question(bank, key, prompt, prompt + " (revised)")
    with sync_app.app_context():
        report = load_content(bank).counts
        question = db.session.scalar(select(Question).where(Question.key == key))
        current = db.session.get(QuestionVersion, question.current_version_id)
        assert report["questions versioned"] == 1
        assert current.number == 2 and current.prompt.endswith("(revised)")
        assert db.session.get(QuestionVersion, old_version).prompt == prompt


def test_removed_question_is_retired_and_comes_back(sync_app, bank) -> None:
    with sync_app.app_context():
        load_content(bank)
    path = bank / "questions" / "overview.toml"
    text = path.read_text(encoding="utf-8")
    blocks = text.split("[[question]]")
    removed_key = blocks[1].split('key = "')[1].split('"')[0]
    path.write_text("[[question]]".join(blocks[:1] + blocks[2:]), encoding="utf-8")
    with sync_app.app_context():
        assert load_content(bank).counts["questions removed"] == 1
        status = db.session.scalar(select(Question.status).where(Question.key == removed_key))
        assert status == "removed"
    path.write_text(text, encoding="utf-8")
    with sync_app.app_context():
        assert load_content(bank).counts["questions restored"] == 1
        status = db.session.scalar(select(Question.status).where(Question.key == removed_key))
        assert status == "active"


def test_removed_questions_are_not_drawn_into_new_attempts(sync_app, bank) -> None:
    from sinorus_learn.services import accounts

    with sync_app.app_context():
        load_content(bank)
        db.session.execute(
            Question.__table__.update().where(Question.topic == "overview").values(status="removed")
        )
        db.session.commit()
        user = accounts.create_user("s@example.org", "correct horse battery")
        with pytest.raises(quiz.QuizError):
            quiz.start_attempt(user.id, QuizRequest(mode="lesson", topic="overview"))


def test_sync_never_undoes_an_instructors_edit(sync_app, bank) -> None:
    from sinorus_learn.services.authoring import spec_of

    with sync_app.app_context():
        load_content(bank)
        question = db.session.scalar(select(Question).where(Question.origin == "generated"))
        version = db.session.get(QuestionVersion, question.current_version_id)
        edited = spec_of(question, version)
        edited = type(edited)(**{**edited.__dict__, "explanation": "Instructor's wording."})
        add_version(question, edited, version.number + 1)
        db.session.commit()
        load_content(bank)
        current = db.session.get(QuestionVersion, question.current_version_id)
        assert current.explanation == "Instructor's wording."
