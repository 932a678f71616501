"""Issue 19.10 and 19.7: an admin creates accounts from a form with a one-time set-password
link; instructors and admins make reset links; e-mailed resets only when SMTP is configured."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from sinorus_learn.database import utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import Classroom, Enrollment, PasswordToken, User
from sinorus_learn.services import mail, passwords
from tests.conftest import PASSWORD, post_form

LINK = re.compile(r'value="(http://localhost/account/set-password/[^"]+)"')
NEW_PASSWORD = "a brand new passphrase"


def _link(response) -> str:
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    match = LINK.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    return match.group(1).removeprefix("http://localhost")


def _use(client, path: str, password: str = NEW_PASSWORD, form_url: str | None = None):
    data = {"password": password, "confirm": password}
    return post_form(client, path, data, form_url=form_url or path)


def test_admin_creates_an_account_whose_owner_sets_the_password_once(
    app, client, make_user, auth
) -> None:
    admin = make_user("admin")
    auth.login(admin.email)
    assert "New account" in client.get("/admin/users").get_data(as_text=True)
    made = post_form(
        client,
        "/admin/users/new",
        {"email": "New.Teacher@example.org", "display_name": "New Teacher", "role": "instructor"},
    )
    path = _link(made)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.teacher@example.org"))
        assert user.role == "instructor"
        stored = db.session.scalar(select(PasswordToken.token_hash))
    assert path.rsplit("/", 1)[1] not in stored  # only a digest is kept
    taken = post_form(
        client, "/admin/users/new", {"email": "new.teacher@example.org", "display_name": "X"}
    )
    assert "already exists" in taken.get_data(as_text=True)
    auth.logout()

    form = client.get(path)
    assert "new.teacher@example.org" in form.get_data(as_text=True)
    assert _use(client, path, "short").status_code == 200  # refused: too short, link still good
    done = _use(client, path)
    assert done.status_code == 302 and done.location.endswith("/account/login")
    assert auth.login("new.teacher@example.org", NEW_PASSWORD).status_code == 302
    auth.logout()
    again = client.get(path).get_data(as_text=True)
    assert "not valid" in again and "New password" not in again
    reuse = _use(client, path, "another passphrase", form_url="/account/login")
    assert "not valid" in reuse.get_data(as_text=True)


def test_a_link_expires_and_a_new_one_cancels_the_old(app, client, make_user) -> None:
    student = make_user()
    with app.app_context():
        old = passwords.issue_token(student.id, "reset", 24, now=utcnow() - timedelta(days=2))
        first = passwords.issue_token(student.id, "reset", 24)
        second = passwords.issue_token(student.id, "reset", 24)
    for token in (old.token, first.token):
        assert "not valid" in client.get(f"/account/set-password/{token}").get_data(as_text=True)
    assert "not valid" in client.get("/account/set-password/made-up").get_data(as_text=True)
    assert _use(client, f"/account/set-password/{second.token}").status_code == 302


def test_instructor_makes_a_reset_link_for_a_student_of_their_class_only(
    app, client, make_user, auth
) -> None:
    teacher, colleague, student, stranger = (
        make_user("instructor"),
        make_user("instructor"),
        make_user(),
        make_user(),
    )
    with app.app_context():
        room = Classroom(name="R", join_code="RESET234", instructor_id=teacher.id)
        db.session.add(room)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=room.id, user_id=student.id))
        db.session.add(Enrollment(classroom_id=room.id, user_id=colleague.id))
        db.session.commit()
        room_id = room.id
    auth.login(teacher.email)
    page = f"/instructor/classes/{room_id}/students/{student.id}"
    assert "Make a password-reset link" in client.get(page).get_data(as_text=True)
    path = _link(post_form(client, f"{page}/reset-link", {}, form_url=page))
    denied = post_form(
        client,
        f"/instructor/classes/{room_id}/students/{colleague.id}/reset-link",
        {},
        form_url=page,
    )
    assert denied.status_code == 403  # a colleague, not a student
    missing = post_form(
        client,
        f"/instructor/classes/{room_id}/students/{stranger.id}/reset-link",
        {},
        form_url=page,
    )
    assert missing.status_code == 404
    auth.logout()
    assert _use(client, path).status_code == 302
    assert auth.login(student.email, PASSWORD).status_code == 200  # the old password is gone
    assert auth.login(student.email, NEW_PASSWORD).status_code == 302


def test_forgot_password_is_off_without_smtp(app, client, make_user) -> None:
    student = make_user()
    page = client.get("/account/forgot").get_data(as_text=True)
    assert "Ask your instructor" in page and "Send me a link" not in page
    client.post("/account/forgot", data={"email": student.email})
    with app.app_context():
        assert db.session.scalar(select(func.count(PasswordToken.id))) == 0


def test_forgot_password_by_mail_does_not_reveal_addresses(
    app, client, make_user, monkeypatch
) -> None:
    app.config.update(MAIL_RESETS=True, SMTP_HOST="mail.example.org", MAIL_FROM="a@example.org")
    sent = []
    monkeypatch.setattr(
        mail, "send_reset_link", lambda config, to, link, hours: sent.append((to, link))
    )
    student = make_user()
    answers = []
    for email in (student.email, "nobody@example.org"):
        response = post_form(client, "/account/forgot", {"email": email})
        answers.append((response.status_code, response.location))
        answers.append(client.get("/account/login").get_data(as_text=True).count("on its way"))
    assert answers[0:2] == answers[2:4]
    assert [to for to, _ in sent] == [student.email]
    path = sent[0][1].removeprefix("http://localhost")
    assert _use(client, path).status_code == 302
