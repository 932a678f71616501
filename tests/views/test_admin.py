"""Admin: list users, change roles, deactivate and reactivate, never lock out the last admin."""

from __future__ import annotations

from sinorus_learn.extensions import db
from sinorus_learn.models import User
from tests.conftest import AuthActions, post_form


def test_admin_lists_users_paginated_and_searches(app, client, make_user, auth) -> None:
    auth.login(make_user("admin").email)
    for _ in range(30):
        make_user()
    page = client.get("/admin/users").get_data(as_text=True)
    assert "31 in all" in page and "Next page" in page
    assert client.get("/admin/users?page=2").status_code == 200
    found = client.get("/admin/users?q=admin").get_data(as_text=True)
    assert "1 in all" in found


def test_role_change_and_deactivation_end_access(app, client, make_user, auth) -> None:
    auth.login(make_user("admin").email)
    target = make_user()
    other = app.test_client()
    AuthActions(other).login(target.email)
    assert other.get("/instructor/").status_code == 403
    post_form(
        client, f"/admin/users/{target.id}/role", {"role": "instructor"}, form_url="/admin/users"
    )
    assert other.get("/instructor/").status_code == 200
    bad = post_form(
        client,
        f"/admin/users/{target.id}/role",
        {"role": "overlord"},
        form_url="/admin/users",
        follow_redirects=True,
    )
    assert "Choose one of the roles" in bad.get_data(as_text=True)
    post_form(client, f"/admin/users/{target.id}/deactivate", {}, form_url="/admin/users")
    assert other.get("/instructor/").status_code == 302  # the session is over
    again = AuthActions(app.test_client()).login(target.email)
    assert "deactivated" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, target.id).active is False  # kept, with its history
    post_form(client, f"/admin/users/{target.id}/reactivate", {}, form_url="/admin/users")
    assert AuthActions(app.test_client()).login(target.email).status_code == 302
    missing = post_form(client, "/admin/users/9999/deactivate", {}, form_url="/admin/users")
    assert missing.status_code == 404


def test_the_last_admin_cannot_lock_everyone_out(app, client, make_user, auth) -> None:
    admin = make_user("admin")
    auth.login(admin.email)
    demote = post_form(
        client,
        f"/admin/users/{admin.id}/role",
        {"role": "student"},
        form_url="/admin/users",
        follow_redirects=True,
    )
    assert "last active admin" in demote.get_data(as_text=True)
    off = post_form(
        client,
        f"/admin/users/{admin.id}/deactivate",
        {},
        form_url="/admin/users",
        follow_redirects=True,
    )
    assert "last active admin" in off.get_data(as_text=True)
    second = make_user("admin")
    post_form(
        client, f"/admin/users/{admin.id}/role", {"role": "instructor"}, form_url="/admin/users"
    )
    with app.app_context():
        assert db.session.get(User, admin.id).role == "instructor"
        assert db.session.get(User, second.id).role == "admin"
