"""Error pages: every error a person can cause gets a clear page and a 4xx."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to see this page.",
    404: "There is no page at this address.",
    405: "This page does not accept that kind of request.",
    413: "What you sent is too large.",
    429: "Too many requests. Please wait a moment and try again.",
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
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        message = MESSAGES.get(code, error.description or "Something went wrong.")
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        message = "Something went wrong on our side. Nothing you typed was lost."
        return render_template("errors/error.html", code=500, message=message), 500
