"""Home page and the one-time setup of a fresh install."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_user
from werkzeug.wrappers import Response

from sinorus_learn.forms.auth import SetupForm
from sinorus_learn.services import accounts
from sinorus_learn.services.catalogue import TABLE_PAGES, list_lessons, tables
from sinorus_learn.views.auth import fresh_session_token

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str | Response:
    if accounts.needs_setup():
        return redirect(url_for("main.setup"))
    data = tables()
    return render_template(
        "main/home.html",
        lessons=list_lessons(),
        data_tables=[(t, data[t].title) for t in TABLE_PAGES],
    )


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> str | Response:
    if not accounts.needs_setup():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_first_admin(
                form.email.data or "", form.password.data or "", form.display_name.data or ""
            )
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            login_user(user)
            fresh_session_token()
            flash("Welcome! Your admin account is ready.", "success")
            return redirect(url_for("main.home"))
    return render_template("main/setup.html", form=form)
