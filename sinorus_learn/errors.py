"""Error pages: every error a person can cause gets a clear page and a 4xx."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from sinorus_learn.database import DatabaseBusy
from sinorus_learn.extensions import db

BARE_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error 500</title>'
    "</head><body><h1>500: Something went wrong on our side.</h1>"
    '<p><a href="/">Back to the home page</a></p></body></html>'
)
MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to see this page.",
    404: "There is no page at this address.",
    405: "This page does not accept that kind of request.",
    413: "What you sent is too large.",
    429: "Too many requests. Please wait a moment and try again.",
    503: "The site is busy saving other work. Please try again in a few seconds.",
}


def register_error_handlers(app: Flask) -> None:
    """Render HTTP errors and CSRF failures with the site's layout."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        message = "Your form expired or was sent without its security token. Please try again."
        if request.endpoint == "quiz.answer":  # keep the learner's typed answer on the page
            from sinorus_learn.views.quiz import refused_answer

            page = refused_answer(message + " Your answer is still filled in below.")
            if page is not None:
                return page, 400
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
        code = error.code or 500
        if code == 503:  # the write lock was busy: whatever the request began is abandoned
            db.session.rollback()
        message = MESSAGES.get(code, error.description or "Something went wrong.")
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return render_template("errors/error.html", code=code, message=message), code, headers

    @app.errorhandler(OperationalError)
    def database_locked(error: OperationalError) -> tuple[str, int, list[tuple[str, str]]]:
        """SQLite's own busy timeout ran out (a writer outside the write gate): a 503 too."""
        if "database is locked" not in str(error):
            raise error
        return http_error(DatabaseBusy())

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        # The failed request may have left its transaction broken: without a rollback, the
        # page's own reads (the signed-in user) raised again, and gunicorn sent a bare page.
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the page must still go out
            app.logger.exception("rollback after an error failed")
        message = "Something went wrong on our side. Nothing you typed was lost."
        try:
            return render_template("errors/error.html", code=500, message=message), 500
        except Exception:  # noqa: BLE001
            app.logger.exception("the error page failed")
            return BARE_500, 500
