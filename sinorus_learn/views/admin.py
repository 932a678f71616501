"""Admin: accounts and roles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from sinorus_learn.forms.admin import ActiveForm, RoleForm
from sinorus_learn.models.user import ROLES
from sinorus_learn.services import admin
from sinorus_learn.views.access import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@admin_required
def users() -> str:
    search = request.args.get("q", "")[:200]
    pagination = admin.list_users(request.args.get("page", 1, type=int), search)
    return render_template(
        "admin/users.html", pagination=pagination, search=search, roles=ROLES, form=ActiveForm()
    )


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int) -> Response:
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the roles.", "error")
        return redirect(url_for("admin.users"))
    return _apply(lambda: admin.change_role(user_id, form.role.data or ""), "Role changed")


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int) -> Response:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int) -> Response:
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
