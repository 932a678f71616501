"""Issue 18: no lock-outs by strangers, limits per user, proxies, and the smaller items.

Each test here failed before its fix; the point of the issue it covers is in its docstring.
"""

from __future__ import annotations

import csv
import io
import logging
import statistics
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sinorus_learn import create_app
from sinorus_learn.extensions import db
from tests.conftest import PASSWORD, AuthActions, csrf_token, post_form
from tests.security.conftest import World

WRONG = "Wrong e-mail address or password"


def client_at(app: Flask, address: str, forwarded_for: str | None = None) -> FlaskClient:
    """A browser at ``address`` (optionally sending an X-Forwarded-For header)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


@pytest.fixture
def make_limited(database_url: str) -> Iterator[Any]:
    """Build an app with rate limits on (memory storage) and the given settings."""
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        config = {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "100 per minute",
            "LOGIN_ACCOUNT_FAILURE_LIMIT": "100 per minute",
            "LOGIN_CLIENT_FAILURE_LIMIT": "100 per minute",
            **settings,
        }
        app = create_app(config)
        with app.app_context():
            db.create_all()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            if database_url.startswith("postgresql"):
                db.drop_all()
            db.engine.dispose()


def add_user(app: Flask, email: str, name: str = "", password: str = PASSWORD) -> Any:
    from sinorus_learn.services import accounts

    with app.app_context():
        return accounts.create_user(email, password, name or "Someone")


# ---------------------------------------------------------------- point 1: log-in throttling


def test_a_stranger_cannot_lock_the_owner_out(make_limited: Any) -> None:
    """Point 1: wrong passwords from one client slow that client down, never the owner."""
    app = make_limited(LOGIN_ACCOUNT_FAILURE_LIMIT="3 per minute")
    add_user(app, "victim@example.org")
    stranger = AuthActions(client_at(app, "10.0.0.66"))
    codes = [stranger.login("victim@example.org", f"guess {i}").status_code for i in range(8)]
    assert codes[:3] == [200] * 3 and set(codes[3:]) == {429}, codes
    owner = AuthActions(client_at(app, "10.0.0.2"))
    assert owner.login("victim@example.org").status_code == 302
    # The stranger's throttle is theirs, and for this account only: another one still works.
    add_user(app, "other@example.org")
    assert stranger.login("other@example.org").status_code == 302


def test_one_client_guessing_many_accounts_backs_off(make_limited: Any) -> None:
    """Point 1: per client, whatever the e-mail, failures are throttled too."""
    app = make_limited(LOGIN_CLIENT_FAILURE_LIMIT="4 per minute")
    guesser = AuthActions(client_at(app, "10.0.0.66"))
    codes = [guesser.login(f"user{i}@example.org", "guess").status_code for i in range(6)]
    assert codes == [200] * 4 + [429] * 2, codes
    assert "Too many requests" in guesser.login("x@example.org", "guess").get_data(as_text=True)
    add_user(app, "elsewhere@example.org")
    assert AuthActions(client_at(app, "10.0.0.3")).login("elsewhere@example.org").status_code == 302


def test_a_successful_log_in_does_not_count_as_a_failure(make_limited: Any) -> None:
    app = make_limited(LOGIN_ACCOUNT_FAILURE_LIMIT="2 per minute")
    add_user(app, "often@example.org")
    for _ in range(4):
        client = client_at(app, "10.0.0.5")
        assert AuthActions(client).login("often@example.org").status_code == 302


def test_no_lock_message_and_same_answer_for_unknown_accounts(
    app: Flask, auth: AuthActions, make_user: Any
) -> None:
    """Point 1: the message and status never tell whether an account exists."""
    user = make_user()
    pages = []
    for _ in range(7):
        pages.append(auth.login(user.email, "not the password"))
        pages.append(auth.login("nobody-here@example.org", "not the password"))
    assert {p.status_code for p in pages} == {200}
    bodies = [p.get_data(as_text=True) for p in pages]
    assert all(WRONG in body and "Too many failed" not in body for body in bodies)
    assert auth.login(user.email).status_code == 302  # the owner is never locked out


def test_wrong_password_and_unknown_account_take_the_same_time(app: Flask, make_user: Any) -> None:
    """Point 1: an unknown e-mail used to answer in 6 ms against 120 ms (no hash check)."""
    from sinorus_learn.services import accounts

    user = make_user()

    def seconds(email: str) -> float:
        with app.app_context():
            started = time.perf_counter()
            with pytest.raises(accounts.AccountError):
                accounts.authenticate(email, "not the password")
            return time.perf_counter() - started

    seconds("warm-up@example.org")
    known = statistics.median(seconds(user.email) for _ in range(7))
    unknown = statistics.median(seconds("nobody@example.org") for _ in range(7))
    assert 0.5 < unknown / known < 2.0, (known, unknown)


def test_the_current_password_check_is_throttled(make_limited: Any) -> None:
    """Point 1: the change-password form's current password is a guess like any other."""
    app = make_limited(PASSWORD_CHECK_LIMIT="3 per minute")
    add_user(app, "me@example.org")
    client = client_at(app, "10.0.0.7")
    assert AuthActions(client).login("me@example.org").status_code == 302
    new = "a brand new password"
    codes = []
    for current in ["guess 1", "guess 2", "guess 3", "guess 4", PASSWORD]:
        fields = {"current": current, "password": new, "password2": new, "confirm": new}
        codes.append(post_form(client, "/account/password", fields).status_code)
    assert codes == [200, 200, 200, 429, 429], codes


# ---------------------------------------------------------------- point 3: limits and proxies


def start_and_post_answers(app: Flask, client: FlaskClient, count: int) -> list[int]:
    start = post_form(client, "/quiz/start", {"mode": "practice", "count": "5"},
                      form_url="/quiz/practice")  # fmt: skip
    url = start.headers["Location"]
    token = csrf_token(client.get(url))
    return [client.post(url, data={"csrf_token": token}).status_code for _ in range(count)]


def test_answer_limit_is_per_user_not_per_address(make_limited: Any) -> None:
    """Point 3: one student hammering a quiz no longer gets a classmate on the same address
    refused."""
    from sinorus_learn.services.content_sync import load_content

    app = make_limited(ANSWER_RATE_LIMIT="3 per minute")
    with app.app_context():
        load_content(app.config["QUESTION_BANK_DIR"])
    add_user(app, "fast@example.org")
    add_user(app, "calm@example.org")
    fast, calm = client_at(app, "10.0.0.9"), client_at(app, "10.0.0.9")
    AuthActions(fast).login("fast@example.org")
    AuthActions(calm).login("calm@example.org")
    assert start_and_post_answers(app, fast, 4)[3] == 429
    assert start_and_post_answers(app, calm, 1) == [302]


@pytest.mark.parametrize("proxies", [0, 1])
def test_trusted_proxies_setting_decides_the_client_address(make_limited: Any, proxies) -> None:
    """Point 3: behind one proxy (TRUSTED_PROXIES=1) each user has their own log-in count;
    with no trusted proxy a client cannot choose its address with X-Forwarded-For."""
    app = make_limited(TRUSTED_PROXIES=proxies, LOGIN_RATE_LIMIT="2 per minute")
    first = AuthActions(client_at(app, "10.0.0.1", forwarded_for="203.0.113.1"))
    second = AuthActions(client_at(app, "10.0.0.1", forwarded_for="203.0.113.2"))
    assert [first.login("a@example.org", "x").status_code for _ in range(3)] == [200, 200, 429]
    expected = 200 if proxies else 429
    assert second.login("a@example.org", "x").status_code == expected


def test_production_warns_when_limits_are_per_worker(database_url: str, caplog) -> None:
    """Point 3: with memory:// every gunicorn worker keeps its own count."""
    base = {"ENV_NAME": "production", "SECRET_KEY": "k" * 40,
            "SQLALCHEMY_DATABASE_URI": database_url}  # fmt: skip
    with caplog.at_level(logging.WARNING):
        create_app({**base, "RATELIMIT_STORAGE_URI": "memory://"})
    assert "memory://" in caplog.text and "Redis" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app({**base, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13"})
    assert "memory://" not in caplog.text


# ---------------------------------------------------------------- point 8: the smaller items


def test_hsts_in_production_only(database_url: str) -> None:
    """Point 8: Strict-Transport-Security in production."""
    prod = create_app({"ENV_NAME": "production", "SECRET_KEY": "k" * 40,
                       "SQLALCHEMY_DATABASE_URI": database_url})  # fmt: skip
    header = prod.test_client().get("/account/login").headers.get("Strict-Transport-Security")
    assert header and "max-age=31536000" in header
    dev = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    assert "Strict-Transport-Security" not in dev.test_client().get("/account/login").headers


def test_signed_in_pages_and_downloads_are_not_cached(world: World) -> None:
    """Point 8: Cache-Control: no-store on signed-in pages and CSV downloads."""
    for url in ("/progress", "/topics", "/quiz/history"):
        assert world.student.get(url).headers.get("Cache-Control") == "no-store", url
    class_id = world.ids["class_id"]
    download = world.instructor.get(f"/instructor/classes/{class_id}/results.csv")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    export = world.instructor.get("/instructor/questions/export?format=json")
    assert export.headers["Cache-Control"] == "no-store"
    anonymous = world.app.test_client().get("/account/login")
    assert anonymous.headers.get("Cache-Control") != "no-store"


def test_the_token_from_before_log_in_is_refused_after_it(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    """Point 8: log-in starts a new CSRF token; the signed-out page's token stops working."""
    user = make_user()
    before = csrf_token(client.get("/account/login"))
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    assert client.post("/account/logout", data={"csrf_token": before}).status_code == 400
    fresh = csrf_token(client.get("/topics"))
    assert fresh != before
    assert client.post("/account/logout", data={"csrf_token": fresh}).status_code == 302


@pytest.mark.parametrize("target", ["/topics\r\nSet-Cookie: x=1", "/\x00", "/timeline\x7f",
                                    "/a\nb", "/\x85"])  # fmt: skip
def test_next_with_control_characters_is_ignored(
    client: FlaskClient, make_user: Any, target: str
) -> None:
    """Point 8: a next= with control characters gave a 500."""
    user = make_user()
    response = AuthActions(client).login(user.email, query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/topics"


def test_an_over_long_problem_note_is_told_so(world: World) -> None:
    """Point 8: an over-long note got the "at least 5 characters" message."""
    attempt = world.ids["attempt_id"]
    url = f"/quiz/{attempt}/q/1/report"
    page = post_form(world.student, url, {"note": "x" * 2500}, form_url=f"/quiz/{attempt}/q/1",
                     follow_redirects=True)  # fmt: skip
    body = page.get_data(as_text=True)
    assert "under 2000 characters" in body and "at least 5" not in body
    page = post_form(world.student, url, {"note": "ab"}, form_url=f"/quiz/{attempt}/q/1",
                     follow_redirects=True)  # fmt: skip
    assert "at least 5 characters" in page.get_data(as_text=True)


HOSTILE_NAMES = ["=1+1", "x;=HYPERLINK(\"http://e.example\")", "a,=1+2", "b\t=cmd|' /C calc'!A0",
                 "c; +1", "d,\"@SUM(1)", "e|-2+3", "plain name"]  # fmt: skip


def test_class_csv_has_no_formula_after_any_separator(world: World) -> None:
    """Point 8: a cell such as ``x;=...`` became a formula when a spreadsheet split at ';'."""
    from sinorus_learn.models.classroom import Classroom
    from sinorus_learn.services import classes
    from sinorus_learn.services.statistics import class_csv

    with world.app.app_context():
        code = db.session.get(Classroom, world.ids["class_id"]).join_code
    for i, name in enumerate(HOSTILE_NAMES):
        user = add_user(world.app, f"csv{i}@example.org", name)
        with world.app.app_context():
            classes.join_class(user.id, code)
    with world.app.app_context():
        text = class_csv(world.ids["class_id"])
    rows = list(csv.reader(io.StringIO(text)))
    names = {row[0] for row in rows[1:]}
    assert "plain name" in names and len(names) >= len(HOSTILE_NAMES)
    for separator in (",", ";", "\t", "|"):
        for line in text.splitlines():
            for cell in line.split(separator):  # the worst case: a splitter blind to quotes
                start = cell.strip().lstrip('"').lstrip()
                assert not start.startswith(("=", "+", "-", "@")), (separator, line)


# ---------------------------------------------------------------- point 4: the 500 page


def test_the_500_page_rolls_back_and_keeps_the_security_headers(database_url: str) -> None:
    """Point 4: after a failed flush the error page's own reads raised PendingRollbackError,
    and gunicorn's bare page went out without the security headers."""
    from flask_login import login_required

    from sinorus_learn.models import User

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "PROPAGATE_EXCEPTIONS": False})  # fmt: skip
    with app.app_context():
        db.create_all()

    @app.get("/boom")
    @login_required
    def boom() -> str:
        db.session.expire_all()  # the page will have to read the user again
        db.session.add(User(email="taken@example.org", display_name="T", password_hash="x"))
        db.session.flush()  # a duplicate e-mail: IntegrityError, the transaction is now broken
        return "unreachable"

    add_user(app, "taken@example.org")
    client = app.test_client()
    assert AuthActions(client).login("taken@example.org").status_code == 302
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body and "Logged in as" in body
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers
    assert client.get("/topics").status_code == 200  # the connection went back clean
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()
