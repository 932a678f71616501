"""Fixtures: an app, a client and a fresh database per test (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set). CSRF stays ON: helpers read the token from the page."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import create_engine, make_url, text
from werkzeug.test import TestResponse

from sinorus_learn import create_app
from sinorus_learn.extensions import db

# The machines are shared and noisy: a per-example time limit would make property tests flaky.
settings.register_profile("sinorus", deadline=None)
settings.load_profile("sinorus")

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "correct horse battery"
MIGRATION_SCHEMA = "migration_check"  # empty_app's PostgreSQL schema
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def require_shared(present: bool, message: str) -> None:
    """Skip a test whose shared input (report, corpus, Redis) is missing; in CI, fail instead."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def pg_url(url: str) -> str:
    """Use the psycopg 3 driver for a plain postgresql:// URL."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[None]:
    """Start each run from an empty PostgreSQL schema."""
    if not TEST_DATABASE_URL:
        yield
        return
    engine = create_engine(pg_url(TEST_DATABASE_URL))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield


def _on_database(url: str, name: str) -> str:
    """Return ``url`` pointing at database ``name`` of the same server."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _pg_admin() -> Any:
    """An autocommit engine on the test server, for CREATE and DROP DATABASE."""
    assert TEST_DATABASE_URL
    return create_engine(pg_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def _pg_content_template() -> Iterator[str]:
    """A PostgreSQL database with the schema and the shipped content, loaded once per run:
    each test that uses ``content`` gets its own copy (CREATE DATABASE ... TEMPLATE), so the
    app's own commits need no savepoint tricks and the bank is not reloaded per test."""
    from sinorus_learn.services.content_sync import load_content

    assert TEST_DATABASE_URL
    name = f"{make_url(TEST_DATABASE_URL).database}_content"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": _on_database(TEST_DATABASE_URL, name)}
    )
    with app.app_context():
        db.create_all()
        load_content(Path(app.config["QUESTION_BANK_DIR"]))
        db.session.remove()
        db.engine.dispose()  # a template must have no connections when it is copied
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(
    tmp_path: Path, _postgres_schema: None, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Return the URL of this test's database: a new SQLite file; on PostgreSQL, the shared
    test database, or for a test using ``content`` a copy of the loaded template."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if "content" not in request.fixturenames:
        yield TEST_DATABASE_URL
        return
    template = request.getfixturevalue("_pg_content_template")
    name = f"{template}_{os.getpid()}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _on_database(TEST_DATABASE_URL, name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """An app with an empty schema, torn down after the test."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if database_url == TEST_DATABASE_URL:  # a copied database is dropped instead
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    """A SQLite app whatever TEST_DATABASE_URL says, for what only SQLite has (pragmas, the
    write gate, the online backup): those tests run in the PostgreSQL suite too."""
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/sqlite.db"}
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database: a new SQLite file, or an empty PostgreSQL schema."""
    if TEST_DATABASE_URL:
        engine = create_engine(pg_url(TEST_DATABASE_URL))
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {MIGRATION_SCHEMA}"))
        sep = "&" if "?" in TEST_DATABASE_URL else "?"
        url = f"{TEST_DATABASE_URL}{sep}options=-csearch_path%3D{MIGRATION_SCHEMA}"
    else:
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    yield app
    with app.app_context():
        db.engine.dispose()
    if TEST_DATABASE_URL:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE"))
        engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def _loaded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database with the schema and the shipped content, loaded once per run: the
    ``content`` fixture copies it instead of loading the bank again (2-3 s a test)."""
    from sinorus_learn.services.content_sync import load_content

    path = tmp_path_factory.mktemp("template") / "content.db"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        load_content(Path(app.config["QUESTION_BANK_DIR"]))
        db.session.remove()
        db.engine.dispose()
    return path


def _is_empty(app: Flask) -> bool:
    from sqlalchemy import func, select

    from sinorus_learn.models import Question, User

    return not any(db.session.scalar(select(func.count()).select_from(m)) for m in (User, Question))


@pytest.fixture
def content(app: Flask, request: pytest.FixtureRequest) -> None:
    """Load lessons, the timeline and the question bank into the test database: on SQLite, a
    copy of the session's loaded template when the database is still empty and the bank is
    the shipped one; on PostgreSQL, ``database_url`` already copied the loaded template;
    otherwise through the content load itself."""
    from sinorus_learn.services.content_sync import load_content

    with app.app_context():
        shipped = Path(app.config["QUESTION_BANK_DIR"]) == REPO_ROOT / "question_bank"
        if TEST_DATABASE_URL and db.engine.url.database != make_url(TEST_DATABASE_URL).database:
            return  # database_url copied the loaded template
        if db.engine.dialect.name == "sqlite" and shipped and _is_empty(app):
            db.session.remove()
            template = sqlite3.connect(request.getfixturevalue("_loaded_template"))
            target = db.engine.raw_connection()
            try:
                template.backup(target.driver_connection)
            finally:
                target.close()
                template.close()
            return
        load_content(Path(app.config["QUESTION_BANK_DIR"]))


def csrf_token(response: TestResponse) -> str:
    """Read the CSRF token from a rendered form."""
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any) -> TestResponse:
    """GET ``url`` for its CSRF token, then POST ``data`` with it, as a browser would."""
    token = csrf_token(client.get(kwargs.pop("form_url", url)))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    """Return a factory that creates accounts directly through the service."""
    from sinorus_learn.services import accounts

    counter = iter(range(1, 10_000))

    def make(role: str = "student", email: str | None = None, password: str = PASSWORD) -> Any:
        email = email or f"{role}{next(counter)}@example.org"
        with app.app_context():
            return accounts.create_user(email, password, f"{role.title()} Tester", role=role)

    return make


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD, **kwargs: Any) -> TestResponse:
        return post_form(
            self.client, "/account/login", {"email": email, "password": password}, **kwargs
        )

    def logout(self) -> TestResponse:
        return post_form(self.client, "/account/logout", {}, form_url="/topics")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


class QueryCounter:
    """Count the SQL statements an app runs while active."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def writes(self) -> list[str]:
        """The statements that write, or open a write transaction (SQLite's BEGIN IMMEDIATE)."""
        kinds = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")
        return [s for s in self.statements if s.lstrip().upper().startswith(kinds)]


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], QueryCounter]:
    """Return a context manager counting SQL statements on the app's engine."""

    def make() -> QueryCounter:
        with app.app_context():
            return QueryCounter(db.engine)

    return make


@pytest.fixture
def make_question(app: Flask) -> Callable[..., int]:
    """Return a factory storing one live multiple-choice question (answer "Right") through the
    content service; it returns the question's id."""
    from tests.support.questions import add_questions, mc_spec

    counter = iter(range(1, 10_000))

    def make(key: str | None = None, topic: str = "energy", origin: str = "authored") -> int:
        return add_questions(app, mc_spec(key or f"q{next(counter)}", topic), origin=origin)[0]

    return make


@pytest.fixture
def answer(app: Flask) -> Callable[..., float]:
    """Return a function answering one item of an attempt through the quiz service, rightly or
    wrongly, so responses, scores and review cards change as in production; it returns the
    score."""
    from sinorus_learn.database import utcnow
    from sinorus_learn.services import quiz
    from tests.support.quiz import answer_form, item_and_version

    def submit(
        user_id: int, attempt_id: int, position: int, right: bool = True, when: Any = None
    ) -> float:
        with app.app_context():
            item, version = item_and_version(attempt_id, position)
            form = answer_form(version, item.presented, right)
            response = quiz.submit_answer(user_id, attempt_id, position, form, now=when or utcnow())
            if response.pending:  # an explanation: tick the checklist as the form says
                ticks = form.get("point", [])
                response = quiz.assess_explanation(
                    user_id, attempt_id, position, ticks, now=when or utcnow()
                )
            return response.score

    return submit


@pytest.fixture
def take_quiz(app: Flask, answer: Callable[..., float]) -> Callable[..., int]:
    """Return a function taking a whole lesson quiz through the quiz service; it returns the
    attempt's id."""
    from sinorus_learn.database import utcnow
    from sinorus_learn.services import quiz
    from sinorus_learn.services.quiz import QuizRequest

    def take(user_id: int, topic: str, right: bool, when: Any = None, count: int = 5) -> int:
        when = when or utcnow()
        with app.app_context():
            request = QuizRequest(mode="lesson", topic=topic, count=count)
            attempt_id = quiz.start_attempt(user_id, request, now=when)
        for position in range(1, count + 1):
            answer(user_id, attempt_id, position, right, when)
        with app.app_context():
            quiz.finish_attempt(user_id, attempt_id, now=when)
        return attempt_id

    return take


@pytest.fixture
def without_explain(app: Flask, content: None) -> None:
    """Retire the shipped explain questions, for a test of a one-step answer flow whose lesson
    quiz would otherwise draw one (an explanation is answered, then self-assessed)."""
    from sqlalchemy import update

    from sinorus_learn.extensions import db
    from sinorus_learn.models import Question

    with app.app_context():
        db.session.execute(
            update(Question).where(Question.qtype == "explain").values(status="retired")
        )
        db.session.commit()
        db.session.remove()
