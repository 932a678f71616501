"""Home page and the one-time setup of a fresh install."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from werkzeug.wrappers import Response

from sinorus_learn.content import current_catalogue
from sinorus_learn.forms.auth import SetupForm
from sinorus_learn.services import accounts
from sinorus_learn.services.catalogue import TABLE_PAGES, list_lessons
from sinorus_learn.views.auth import account_form_page

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str | Response:
    """Show the home page, or send a fresh install to its setup."""
    if accounts.needs_setup():
        return redirect(url_for("main.setup"))
    data = current_catalogue().tables()
    return render_template(
        "main/home.html",
        lessons=list_lessons(),
        data_tables=[(t, data[t].title) for t in TABLE_PAGES],
    )


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> str | Response:
    """Create the install's first admin, once; 404 after that."""
    if not accounts.needs_setup():
        abort(404)
    return account_form_page(
        SetupForm(),
        accounts.create_first_admin,
        "main/setup.html",
        "Welcome! Your admin account is ready.",
        "main.home",
    )
