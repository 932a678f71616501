"""Registration, log-in, log-out, password change and first-run setup, through the forms."""

from __future__ import annotations

from flask.testing import FlaskClient

from sinorus_learn.services import accounts
from tests.conftest import PASSWORD, AuthActions, post_form

REGISTER = "/account/register"


def register(client: FlaskClient, email: str = "ana@example.org", **overrides: str):
    data = {
        "display_name": "Ana",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        **overrides,
    }
    return post_form(client, REGISTER, data)


def test_fresh_install_offers_setup_once(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/setup")
    data = {
        "display_name": "Admin",
        "email": "admin@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    response = post_form(client, "/setup", data)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert b"Admin" in home.data and b"(admin)" in home.data
    assert client.get("/setup").status_code == 404


def test_setup_shows_a_refused_account_on_its_form(client: FlaskClient, monkeypatch) -> None:
    def refuse(*_args: str) -> None:
        raise accounts.AccountError("This site is already set up.")

    monkeypatch.setattr(accounts, "create_first_admin", refuse)  # another admin won the race
    data = {"display_name": "A", "email": "a@example.org", "password": PASSWORD}
    response = post_form(client, "/setup", {**data, "confirm": PASSWORD})
    assert response.status_code == 200
    assert b"Welcome to Sinorus Learn" in response.data
    assert b"This site is already set up." in response.data
    assert b"Create the admin account" in response.data


def test_register_logs_in_as_student(client: FlaskClient, make_user) -> None:
    make_user("admin")
    response = register(client)
    assert response.status_code == 302
    page = client.get("/topics")
    assert b"Logged in as" in page.data and b"(student)" in page.data


def test_register_duplicate_email_is_refused_with_message(client: FlaskClient, make_user) -> None:
    make_user("student", email="ana@example.org")
    response = register(client, email="ANA@example.org")
    assert response.status_code == 200
    assert b"already exists" in response.data


def test_register_rejects_bad_input_without_500(client: FlaskClient) -> None:
    cases = [
        {"email": "not-an-email"},
        {"password": "short", "confirm": "short"},
        {"confirm": "something else entirely"},
        {"display_name": ""},
        {"display_name": "x" * 500},
    ]
    for overrides in cases:
        response = register(client, **overrides)
        assert response.status_code == 200, overrides
        assert b'class="error"' in response.data, overrides


def test_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post(
        REGISTER,
        data={
            "display_name": "A",
            "email": "a@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert b"security token" in response.data


def test_login_wrong_password_and_unknown_email(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    user = make_user()
    for email, password in ((user.email, "wrong password!"), ("nobody@example.org", PASSWORD)):
        response = auth.login(email, password)
        assert response.status_code == 200
        assert b"Wrong e-mail address or password" in response.data


def test_login_then_logout_and_replayed_cookie_is_refused(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    user = make_user()
    assert auth.login(user.email).status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    auth.logout()
    assert b"Logged in as" not in client.get("/topics").data
    client.set_cookie("session", cookie.value)  # replay the old session cookie
    assert b"Logged in as" not in client.get("/topics").data


def test_repeated_failures_never_lock_the_account(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    """Guessing is throttled per client by the rate limits; the account itself never locks."""
    user = make_user()
    for _ in range(6):
        auth.login(user.email, "wrong password!")
    assert auth.login(user.email).status_code == 302


def test_next_redirects_only_to_local_paths(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    user = make_user()
    for target, expected in (
        ("/timeline", "/timeline"),
        ("https://evil.example/", "/topics"),
        ("//evil.example/", "/topics"),
        ("/\\evil.example", "/topics"),
    ):
        response = auth.login(user.email, form_url="/account/login", query_string={"next": target})
        assert response.status_code == 302
        assert response.location == expected, target
        auth.logout()


def test_change_password_ends_other_sessions(app, auth: AuthActions, make_user) -> None:
    user = make_user()
    other = app.test_client()
    AuthActions(other).login(user.email)
    auth.login(user.email)
    new = "a brand new passphrase"
    response = post_form(
        auth.client, "/account/password", {"current": PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert b"Logged in as" in auth.client.get("/topics").data
    assert b"Logged in as" not in other.get("/topics").data
    auth.logout()
    assert auth.login(user.email, new).status_code == 302


def test_change_password_wrong_current(auth: AuthActions, make_user) -> None:
    user = make_user()
    auth.login(user.email)
    response = post_form(
        auth.client,
        "/account/password",
        {"current": "not my password", "password": "x" * 12, "confirm": "x" * 12},
    )
    assert response.status_code == 200
    assert b"current password is not right" in response.data


def test_cli_creates_instructor_from_stdin(runner, app) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "instructor",
            "--email",
            "teach@example.org",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created instructor teach@example.org" in result.output
    again = runner.invoke(
        args=["users", "create", "--email", "teach@example.org", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert again.exit_code != 0
    assert "already exists" in again.output
