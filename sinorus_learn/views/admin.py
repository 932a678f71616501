"""Admin: accounts and roles."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from sinorus_learn.forms.admin import ActiveForm, NewUserForm, RoleForm
from sinorus_learn.models.user import ROLES
from sinorus_learn.services import admin, passwords
from sinorus_learn.services.accounts import AccountError
from sinorus_learn.views.access import admin_required
from sinorus_learn.views.auth import private

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@admin_required
def users() -> str:
    """List the accounts, searched by name or e-mail, a page at a time."""
    search = request.args.get("q", "")[:200]
    pagination = admin.list_users(request.args.get("page", 1, type=int), search)
    return render_template(
        "admin/users.html", pagination=pagination, search=search, roles=ROLES, form=ActiveForm()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user() -> str | Response:
    """Create an account and show its one-time welcome link."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            issued = passwords.create_user_with_link(
                form.email.data or "",
                form.display_name.data or "",
                form.role.data or "student",
                current_user.id,
                current_app.config["WELCOME_LINK_HOURS"],
            )
        except AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            return show_link(issued, "Account created", url_for("admin.users"))
    return render_template("admin/new_user.html", form=form)


@bp.post("/users/<int:user_id>/reset-link")
@admin_required
def reset_link(user_id: int) -> Response:
    """Make a one-time password-reset link for an account and show it once."""
    if not ActiveForm().validate_on_submit():
        abort(400)
    try:
        issued = passwords.issue_token(
            user_id, "reset", current_app.config["RESET_LINK_HOURS"], current_user.id
        )
    except LookupError:
        abort(404)
    return show_link(issued, "Reset link made", url_for("admin.users"))


def show_link(issued: passwords.IssuedLink, done: str, back: str) -> Response:
    """Show a one-time link once, in the response to the POST that made it (a flash message
    would carry it in the readable session cookie)."""
    link = url_for("auth.set_password", token=issued.token, _external=True)
    page = render_template(
        "admin/link.html", issued=issued, one_time_link=link, done=done, back=back
    )
    return private(page)


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int) -> Response:
    """Give an account another role."""
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the roles.", "error")
        return redirect(url_for("admin.users"))
    return _apply(lambda: admin.change_role(user_id, form.role.data or ""), "Role changed")


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int) -> Response:
    """Stop an account from logging in, keeping its history."""
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int) -> Response:
    """Let a deactivated account log in again."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> Response:
    if not ActiveForm().validate_on_submit():
        abort(400)
    done = "Account reactivated" if active else "Account deactivated"
    return _apply(lambda: admin.set_active(user_id, active), done)


def _apply(change, done: str) -> Response:  # type: ignore[no-untyped-def]
    try:
        result = change()
    except LookupError:
        abort(404)
    except admin.AdminError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"{done}: {result.email} is now {result.role}"
            f"{'' if result.active else ' (deactivated)'}.",
            "success",
        )
    return redirect(request.referrer if _local(request.referrer) else url_for("admin.users"))


def _local(url: str | None) -> bool:
    from sinorus_learn.views.access import safe_next

    return bool(url) and safe_next(url, "") != ""
