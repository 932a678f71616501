"""Log-in wiring and HTTP security headers."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, g, request

from sinorus_learn.extensions import db, login_manager
from sinorus_learn.models import User

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Configure Flask-Login and add security headers to every response."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_refuse_absurd_page)
    app.after_request(_security_headers)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the user from ``id:session_version``; an older session generation is refused."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


MAX_PAGE = 1_000_000


def _refuse_absurd_page() -> None:
    """A ``?page=`` beyond any list is a 404: its OFFSET would overflow the database integer."""
    page = request.args.get("page", "").strip().lstrip("+-")
    if page.isdigit() and len(page) > len(str(MAX_PAGE)):
        abort(404)


def _security_headers(response: Response) -> Response:
    headers = response.headers
    hsts = int(current_app.config.get("HSTS_SECONDS") or 0)
    if hsts > 0:  # production: browsers then refuse plain HTTP for the site
        headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
    if _private(response):  # a shared or back-button cache must not keep someone's pages
        headers["Cache-Control"] = "no-store"
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def _private(response: Response) -> bool:
    """A page for a signed-in user, or a download (a CSV of a class's results, an export)."""
    user = g.get("_login_user")  # set once Flask-Login has loaded the user: no extra query
    if user is not None and user.is_authenticated:
        return True
    disposition = response.headers.get("Content-Disposition", "")
    return response.mimetype == "text/csv" or disposition.startswith("attachment")
