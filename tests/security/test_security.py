"""Headers, cookies, rate limits, sessions, long-exam CSRF, redirects, XSS, answer secrecy."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select

from sinorus_learn import create_app
from sinorus_learn.config import ConfigError
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt
from tests.conftest import PASSWORD, AuthActions, csrf_token, post_form
from tests.security.conftest import World
from tests.support.quiz import answer_form, item_and_version


def remember_login(client: Any, email: str) -> Any:
    data = {"email": email, "password": PASSWORD, "remember": "y"}
    return post_form(client, "/account/login", data)


PAGES = ["/", "/account/login", "/account/register", "/topics", "/timeline", "/quiz/practice"]


def test_security_headers_on_every_page(world: World) -> None:
    for url in PAGES:
        response = world.student.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.get_data(as_text=True))
        assert not inline, (url, inline)  # the CSP would block it anyway


def test_cookie_flags_and_secure_in_production(app, client, make_user, database_url) -> None:
    user = make_user()
    response = remember_login(client, user.email)
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session", "remember_token"):
        cookie = next(c for c in cookies if c.startswith(name + "="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    prod = create_app({"ENV_NAME": "production", "SECRET_KEY": "k" * 40,
                       "SQLALCHEMY_DATABASE_URI": database_url})  # fmt: skip
    assert prod.config["SESSION_COOKIE_SECURE"] and prod.config["REMEMBER_COOKIE_SECURE"]
    with pytest.raises(ConfigError):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "dev-only-not-secret"})


@pytest.fixture
def limited_app(database_url: str) -> Any:
    """An app with low limits. Not combined with the `app` fixture: the one Limiter object
    takes the settings of the last app bound to it (one app per process in production)."""
    app = create_app({
        "ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "3 per minute", "REGISTER_RATE_LIMIT": "2 per minute",
        "ANSWER_RATE_LIMIT": "3 per minute",
    })  # fmt: skip
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()


def test_rate_limits_on_login_and_registration(limited_app) -> None:
    client = limited_app.test_client()
    codes = [AuthActions(client).login("who@example.org", "wrong password").status_code
             for _ in range(4)]  # fmt: skip
    assert codes[:3] == [200] * 3 and codes[3] == 429
    page = AuthActions(client).login("who@example.org", "wrong password")
    assert "Too many" in page.get_data(as_text=True) and "<html" in page.get_data(as_text=True)
    register = {"display_name": "R", "password": "p" * 12, "password2": "p" * 12}
    codes = [post_form(client, "/account/register", {**register, "email": f"r{i}@example.org"})
             .status_code for i in range(3)]  # fmt: skip
    assert codes[2] == 429
    other = limited_app.test_client()  # a fresh limiter bucket would not help: it is per address
    assert AuthActions(other).login("who@example.org").status_code == 429


def test_answer_submission_is_rate_limited(limited_app) -> None:
    from sinorus_learn.services import accounts
    from sinorus_learn.services.content_sync import load_content

    with limited_app.app_context():
        load_content(limited_app.config["QUESTION_BANK_DIR"])
        accounts.create_user("quick@example.org", PASSWORD, "Quick")
    client = limited_app.test_client()
    assert AuthActions(client).login("quick@example.org").status_code == 302
    start = post_form(client, "/quiz/start", {"mode": "practice", "count": "5"},
                      form_url="/quiz/practice")  # fmt: skip
    url = start.headers["Location"]
    token = csrf_token(client.get(url))
    codes = [client.post(url, data={"csrf_token": token, "value": "1"}).status_code
             for _ in range(4)]  # fmt: skip
    assert codes[3] == 429, codes


def test_failed_logins_back_off_for_the_guessing_client(limited_app) -> None:
    from sinorus_learn.services import accounts

    with limited_app.app_context():
        accounts.create_user("owner@example.org", PASSWORD, "Owner")
    guesser = AuthActions(limited_app.test_client())
    codes = [guesser.login("owner@example.org", "not it").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # LOGIN_RATE_LIMIT: 3 per minute per client
    owner = limited_app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the owner, elsewhere, is not affected
    assert AuthActions(owner).login("owner@example.org").status_code == 302


def cookie_jar(client: Any) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


def replay(app: Any, cookies: dict[str, str]) -> Any:
    client = app.test_client()
    for key, value in cookies.items():
        client.set_cookie(key, value)
    return client.get("/progress")


def test_logout_ends_every_session_and_remember_cookie(app, make_user) -> None:
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    remember_login(laptop, user.email)
    AuthActions(phone).login(user.email)
    saved = cookie_jar(laptop)
    assert "remember_token" in saved and replay(app, saved).status_code == 200
    remember_only = {"remember_token": saved["remember_token"]}
    assert replay(app, remember_only).status_code == 200  # the remember cookie alone logs in
    AuthActions(phone).logout()
    assert laptop.get("/progress").status_code == 302  # the other device is logged out
    assert replay(app, saved).status_code == 302  # a replayed session cookie is refused
    assert replay(app, remember_only).status_code == 302  # and so is the remember-me cookie


def test_password_change_ends_other_sessions(app, make_user) -> None:
    user = make_user()
    mine, other = app.test_client(), app.test_client()
    AuthActions(mine).login(user.email)
    remember_login(other, user.email)
    saved = cookie_jar(other)
    new = "a brand new password"
    fields = {"current": PASSWORD, "password": new, "password2": new, "confirm": new}
    response = post_form(mine, "/account/password", fields)
    assert response.status_code == 302
    assert mine.get("/progress").status_code == 200
    assert other.get("/progress").status_code == 302
    assert replay(app, {"remember_token": saved["remember_token"]}).status_code == 302


def start_quiz(client: Any, **fields: str) -> str:
    response = post_form(client, "/quiz/start", {"mode": "practice", "count": "10", **fields},
                         form_url="/quiz/practice")  # fmt: skip
    assert response.status_code == 302
    return response.headers["Location"]


def test_csrf_token_outlives_a_long_exam(world: World, monkeypatch) -> None:
    url = start_quiz(world.student, mode="exam", minutes="180")
    attempt_id = int(url.split("/")[2])
    page = world.student.get(url)
    with world.app.app_context():
        item, version = item_and_version(attempt_id, 1)
        form = answer_form(version, item.presented)
    later = time.time() + 5 * 3600  # five hours of thinking
    monkeypatch.setattr(time, "time", lambda: later)
    response = world.student.post(url, data={**form, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with world.app.app_context():
        stored = db.session.scalar(
            select(AnswerRecord).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert stored is not None


def test_refused_submit_keeps_the_typed_answer(world: World) -> None:
    url = start_quiz(world.student, types="short_text")
    response = world.student.post(url, data={"csrf_token": "stale", "value": "Typed by hand 42"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Typed by hand 42"' in body and "security token" in body
    assert csrf_token(response)  # a fresh token: the learner can simply submit again
    with world.app.app_context():
        assert db.session.scalar(select(AnswerRecord.id)) is None


OPEN_REDIRECTS = ["//evil.example", "https://evil.example/", "/\\evil.example", "\\\\evil.example",
                  "http:evil.example", "javascript:alert(1)", "/\t/evil.example", " //evil.example",
                  "///evil.example", "%2F%2Fevil.example", "/%09/evil.example"]  # fmt: skip


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_login_next_never_leaves_the_site(client, make_user, target) -> None:
    user = make_user()
    response = AuthActions(client).login(user.email, query_string={"next": target})
    location = response.headers["Location"]
    assert response.status_code == 302
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location.split("?")[0].lstrip("/").split("/")[0] or location == "/topics"


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


class Elements(HTMLParser):
    """Collect the tags and attribute names a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, [name for name, _ in attrs]))


def assert_escaped(body: str) -> None:
    assert "<script>alert" not in body and "<img src=x" not in body
    parser = Elements()
    parser.feed(body)
    assert not [t for t, names in parser.found if "onerror" in names or t == "img"]
    assert all(t != "script" or "src" in names for t, names in parser.found)


def test_written_text_comes_back_escaped(world: World, client, make_user) -> None:
    page = post_form(client, "/account/register", {"display_name": "Eve" + PAYLOAD[:60],
                     "email": "eve@example.org", "password": "p" * 12, "password2": "p" * 12,
                     "confirm": "p" * 12})  # fmt: skip
    assert page.status_code == 302
    post_form(
        world.instructor, "/instructor/classes", {"name": "C" + PAYLOAD}, form_url="/instructor/"
    )
    from sinorus_learn.models.classroom import Classroom

    with world.app.app_context():
        klass = db.session.scalars(select(Classroom).order_by(Classroom.id.desc())).first()
        code, class_id = klass.join_code, klass.id
    post_form(client, "/classes/join", {"code": code})
    attempt = world.ids["attempt_id"]
    post_form(world.student, f"/quiz/{attempt}/q/1/report", {"note": "Bad " + PAYLOAD},
              form_url=f"/quiz/{attempt}/q/1")  # fmt: skip
    created = post_form(world.instructor, "/instructor/questions/new", {
        "qtype": "multiple_choice", "topic": "energy", "difficulty": "1",
        "prompt": "Which " + PAYLOAD, "choices": "A" + PAYLOAD + "\nB\nC",
        "correct": "A" + PAYLOAD, "explanation": "Because " + PAYLOAD,
        "level": "recall", "objectives": "energy.deals",
    })  # fmt: skip
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    preview = created.headers["Location"]
    pages = ["/instructor/", f"/instructor/classes/{class_id}", "/instructor/reports",
             preview, "/instructor/questions", "/topics"]  # fmt: skip
    seen = ""
    for url in pages:
        response = world.instructor.get(url)
        assert response.status_code == 200, url
        seen += response.get_data(as_text=True)
    admin_page = world.admin.get("/admin/users").get_data(as_text=True)
    for body in (seen, admin_page, client.get("/topics").get_data(as_text=True)):
        assert_escaped(body)
    assert "&lt;script&gt;" in seen or "&lt;script" in seen
    assert "Eve&lt;script&gt;" in admin_page


def test_no_page_reveals_an_answer_before_it_is_given(world: World) -> None:
    for mode in ("practice", "exam"):
        fields = {"mode": mode, "count": "30"} | ({"minutes": "30"} if mode == "exam" else {})
        url = start_quiz(world.student, **fields)
        attempt_id = int(url.split("/")[2])
        with world.app.app_context():
            count = db.session.get(Attempt, attempt_id).question_count
        for position in range(1, count + 1):
            response = world.student.get(url.replace("/q/1", f"/q/{position}"))
            body = response.get_data(as_text=True)
            assert response.mimetype == "text/html"
            with world.app.app_context():
                item, version = item_and_version(attempt_id, position)
            assert version.explanation[:40] not in body
            assert "checked" not in body and "selected>" not in body and "data-correct" not in body
            if version.qtype == "short_text":
                prompt = version.prompt.lower()
                for accepted in version.answer:
                    if len(accepted) > 3 and accepted.lower() not in prompt:
                        assert f">{accepted}<" not in body and f'"{accepted}"' not in body
            if version.qtype == "ordering":  # a permutation, the right order as likely as any
                assert sorted(item.presented["items"]) == sorted(version.answer)
