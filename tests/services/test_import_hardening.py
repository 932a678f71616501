"""Imports that cannot stall the site, and type-checked JSON (issue 18 points 2 and 4)."""

from __future__ import annotations

import io
import json
import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from sinorus_learn import database
from sinorus_learn.domain.formats import FormatError, JsonFormatError, parse_json
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.services import transfer

KNOWN = {"overview": ["overview.best-ever"]}
DEFAULTS = {"default_level": "recall", "default_objectives": ("overview.best-ever",)}


def gift_file(count: int, word: str = "a number") -> str:
    return "\n\n".join(f"::Q{i}:: Is {i} {word}? {{T}}" for i in range(count))


def rows(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Question.id))) or 0,
            db.session.scalar(select(func.count(QuestionVersion.id))) or 0,
        )


def test_a_file_over_the_question_limit_is_refused_and_nothing_written(app: Flask) -> None:
    with app.app_context(), pytest.raises(FormatError, match="at most 10 can be imported"):
        transfer.import_questions(
            gift_file(11), "big.gift", objectives=KNOWN, max_questions=10, **DEFAULTS
        )
    assert rows(app) == (0, 0)


def write_lock_statements(app: Flask, text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Import ``text``; return how many SQL statements ran while it held the write lock
    (begin_write to COMMIT): the lock is held briefly when that stays a handful whatever the
    number of questions (timings are left to the load test and the benchmark)."""
    inside: list[str] = []
    original = database.begin_write  # what write() opens its transaction with
    holding = {"lock": False}

    def counted_begin_write() -> None:
        holding["lock"] = True
        original()

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if holding["lock"]:
            inside.append(sql)

    def committed(_conn: Any) -> None:
        holding["lock"] = False

    monkeypatch.setattr(database, "begin_write", counted_begin_write)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", statement)
        event.listen(db.engine, "commit", committed)
        try:
            transfer.import_questions(text, "file.gift", objectives=KNOWN, **DEFAULTS)
        finally:
            event.remove(db.engine, "before_cursor_execute", statement)
            event.remove(db.engine, "commit", committed)
    return len(inside)


def test_two_thousand_questions_hold_the_write_lock_briefly(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point 2: parse and compare before the lock; write in a few batched statements. The
    ORM path held it 2-3 s for 2,000 new questions (a statement per row) and 10 s for 2,000
    edited ones."""
    few = write_lock_statements(app, gift_file(20), monkeypatch)
    added = write_lock_statements(app, gift_file(2000, "an integer"), monkeypatch)
    assert rows(app) == (2000, 2020)  # the first 20 of them edited
    edited = write_lock_statements(app, gift_file(2000, "a real number"), monkeypatch)
    assert rows(app) == (2000, 4020)
    # batched: a handful of statements for 2,000 questions as for 20 (PostgreSQL splits an
    # executemany into pages of 1,000 rows); a statement per row would be thousands
    assert few < 20 and added < 20 and edited < 20, (few, added, edited)
    with app.app_context():
        current = db.session.execute(
            select(QuestionVersion.number, QuestionVersion.prompt)
            .join(Question, Question.current_version_id == QuestionVersion.id)
            .where(Question.key == "import:q7")
        ).one()
    assert current == (3, "Is 7 a real number?")


def test_the_write_lock_wait_gives_up_with_a_503(sqlite_app: Flask) -> None:
    """Point 2: a writer that cannot get SQLite's write lock in WRITE_LOCK_TIMEOUT seconds
    gets DatabaseBusy (503, Retry-After) instead of hanging; the lock holder is unharmed."""
    from sinorus_learn import create_app
    from sinorus_learn.database import DatabaseBusy, begin_write
    from sinorus_learn.models import User

    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": sqlite_app.config["SQLALCHEMY_DATABASE_URI"],
            "WRITE_LOCK_TIMEOUT": 0.3,
        }
    )
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with app.app_context():
            begin_write()
            db.session.add(User(email="first@example.org", display_name="F", password_hash="x"))
            holding.set()
            release.wait(10)
            db.session.commit()
            db.session.remove()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    try:
        with app.app_context():
            started = time.monotonic()
            with pytest.raises(DatabaseBusy) as busy:
                begin_write()
            waited = time.monotonic() - started
            db.session.rollback()
            db.session.remove()
        assert 0.25 < waited < 2.0, waited
        assert busy.value.code == 503
        assert ("Retry-After", "5") in busy.value.get_headers()
    finally:
        release.set()
        holder.join(10)
    with app.app_context():  # the gate works again, and the abandoned wait left no lock behind
        begin_write()
        db.session.add(User(email="second@example.org", display_name="S", password_hash="x"))
        db.session.commit()
        assert db.session.scalar(select(func.count(User.id))) == 2
        db.session.remove()
        db.engine.dispose()


def test_the_import_page_answers_503_when_the_lock_stays_busy(
    sqlite_app: Flask, tmp_path: Any
) -> None:
    """Point 2: the web import waits at most WRITE_LOCK_TIMEOUT, then a 503 with Retry-After."""
    from sinorus_learn import create_app
    from sinorus_learn.database import begin_write
    from sinorus_learn.services import accounts
    from sinorus_learn.services.content_sync import load_content
    from tests.conftest import AuthActions, post_form

    url = sqlite_app.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "WRITE_LOCK_TIMEOUT": 0.3})  # fmt: skip
    with app.app_context():
        load_content(app.config["QUESTION_BANK_DIR"])
        accounts.create_user("teacher@example.org", "correct horse battery", "T", "instructor")
    client = app.test_client()
    assert AuthActions(client).login("teacher@example.org").status_code == 302
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with app.app_context():
            begin_write()
            holding.set()
            release.wait(10)
            db.session.rollback()
            db.session.remove()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    try:
        form = {"file": (io.BytesIO(gift_file(3).encode()), "three.gift"), "level": "recall",
                "topic": "overview", "objectives": "overview.best-ever"}  # fmt: skip
        page = post_form(client, "/instructor/questions/import", form,
                         content_type="multipart/form-data")  # fmt: skip
    finally:
        release.set()
        holder.join(10)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    body = page.get_data(as_text=True)
    assert "busy" in body and "<html" in body
    assert page.headers["X-Frame-Options"] == "DENY"
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id)).where(
            Question.origin == "imported")) == 0  # fmt: skip
        db.session.remove()
        db.engine.dispose()


VALID = {
    "key": "imported/q1",
    "type": "multiple_choice",
    "prompt": "Which?",
    "choices": ["a", "b"],
    "answer": "a",
    "explanation": "Because.",
    "topic": "overview",
    "level": "recall",
    "objectives": ["overview.best-ever"],
}
CONFUSED = [
    ("template", ["a"]),
    ("template", 5),
    ("source", {"table": 123}),
    ("source", {"rows": "2005"}),
    ("source", {"footnotes": ["one"]}),
    ("source", "energy"),
    ("prompt", ["Which?"]),
    ("prompt", None),
    ("type", ["multiple_choice"]),
    ("choices", "ab"),
    ("choices", [1, 2]),
    ("explanation", {"text": "x"}),
    ("topic", 7),
    ("difficulty", "2"),
    ("difficulty", True),
    ("difficulty", 1e300),
    ("tags", "oil"),
    ("tags", [None]),
    ("answer", ["a"]),
]


@pytest.mark.parametrize(("field", "value"), CONFUSED)
def test_a_field_of_the_wrong_json_type_is_named(field: str, value: Any) -> None:
    """Point 4: a wrong JSON type reached len() or the database and gave a 500."""
    item = {**VALID, field: value}
    with pytest.raises(JsonFormatError) as error:
        parse_json(json.dumps([VALID | {"key": "first"}, item]))
    message = str(error.value)
    assert "question 2" in message and "imported/q1" in message, message
    if field != "answer":  # a wrong answer type may also be told by the question's rules
        assert repr(field) in message or repr(f"{field}.") in message or field in message


@pytest.mark.parametrize(
    ("qtype", "answer"),
    [
        ("numeric", {"value": "12"}),
        ("numeric", {"value": 12, "tolerance": "0.5"}),
        ("numeric", {"value": 12, "unit": 5}),
        ("numeric", 12),
        ("matching", [["a", 1], ["b", "c"]]),
        ("matching", ["a", "b"]),
        ("ordering", "abc"),
        ("short_text", [1]),
        ("multiple_select", {"a": True}),
    ],
)
def test_answers_of_the_wrong_json_type_are_named(qtype: str, answer: Any) -> None:
    item = {**VALID, "type": qtype, "answer": answer}
    with pytest.raises(JsonFormatError, match="answer"):
        parse_json(json.dumps([item]))


def test_the_same_file_with_the_right_types_imports(app: Flask) -> None:
    with app.app_context():
        report = transfer.import_questions(json.dumps([VALID]), "ok.json", objectives=KNOWN)
    assert report.added == ["imported/q1"]
