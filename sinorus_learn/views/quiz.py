"""Quizzes: start, answer with feedback, finish, review, history."""

from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from sinorus_learn.content import current_catalogue
from sinorus_learn.domain.questions import TOPICS, TYPE_LABELS
from sinorus_learn.extensions import limiter
from sinorus_learn.forms.quiz import FinishForm, HintForm, ReportProblemForm, StartQuizForm
from sinorus_learn.services import problems, quiz
from sinorus_learn.services.quiz import HintRefusedError, QuizError, QuizRequest
from sinorus_learn.views.access import back_or

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


@bp.post("/start")
@login_required
def start() -> Response:
    """Start a practice, exam or review attempt from the form's choices."""
    form = StartQuizForm()
    if not form.validate():
        flash("; ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back_or(url_for("quiz.practice")))
    request_ = QuizRequest(
        mode=form.mode.data or "",
        topic=form.topic.data or None,
        table=form.table.data or None,
        topics=tuple(form.topics.data or ()),
        types=tuple(form.types.data or ()),
        objectives=tuple(form.objectives.data or ()),
        levels=tuple(form.levels.data or ()),
        count=form.count.data or quiz.DEFAULT_QUESTIONS,
        minutes=form.minutes.data if form.mode.data == "exam" else None,
        confidence=form.confidence_wanted(current_user.confidence_default),
    )
    try:
        attempt_id = quiz.start_attempt(
            current_user.id,
            request_,
            review_cap=current_app.config["DAILY_REVIEW_CAP"],
            known_objectives=quiz.all_objectives(current_catalogue()),
        )
    except QuizError as exc:
        flash(str(exc), "info")
        return redirect(back_or(url_for("quiz.practice")))
    return redirect(url_for("quiz.question", attempt_id=attempt_id, position=1))


@bp.get("/practice")
@login_required
def practice() -> str:
    """Show the form that starts a practice quiz."""
    return render_template("quiz/practice.html", form=_start_form("practice"), exam=False)


@bp.get("/exam")
@login_required
def exam() -> str:
    """Show the form that starts an exam."""
    return render_template("quiz/practice.html", form=_start_form("exam"), exam=True)


def _start_form(mode: str) -> StartQuizForm:
    """The practice or exam form, its objectives those the lessons declare."""
    form = StartQuizForm(mode=mode, confidence=current_user.confidence_default)
    form.objectives.choices = list(quiz.all_objectives(current_catalogue()).items())
    return form


def _own_attempt(attempt_id: int):  # type: ignore[no-untyped-def]
    attempt = quiz.get_attempt(current_user.id, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


@bp.get("/<int:attempt_id>/q/<int:position>")
@login_required
def question(attempt_id: int, position: int) -> str:
    """Show one question of an attempt, with its feedback once answered."""
    attempt = _own_attempt(attempt_id)
    view = quiz.item_view(attempt, position)
    if view is None:
        abort(404)
    return render_template(
        "quiz/question.html",
        view=view,
        rendered_at=f"{time.time():.3f}",
        topics=TOPICS,
        type_labels=TYPE_LABELS,
        my_reports=(
            problems.my_reports(current_user.id, view.item.question_id)
            if view.show_feedback
            else []
        ),
    )


@bp.post("/<int:attempt_id>/q/<int:position>")
@login_required
@limiter.limit(lambda: current_app.config["ANSWER_RATE_LIMIT"])
def answer(attempt_id: int, position: int) -> str | Response:
    """Grade an answer to one question and show its feedback (post/redirect/get)."""
    seconds = _seconds_since(request.form.get("rendered_at", ""))
    try:
        quiz.submit_answer(current_user.id, attempt_id, position, request.form, seconds=seconds)
    except LookupError:
        abort(404)
    except quiz.CertaintyRequiredError as exc:  # shown again with the answer still filled in
        return refused_answer(str(exc)) or redirect(request.path)
    except QuizError as exc:
        flash(str(exc), "error")
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
    return redirect(
        url_for("quiz.question", attempt_id=attempt_id, position=position, _anchor="feedback")
    )


@bp.post("/<int:attempt_id>/q/<int:position>/assess")
@login_required
def assess(attempt_id: int, position: int) -> Response:
    """Record the checklist points a learner ticked for their written explanation."""
    try:
        ticked = request.form.getlist("point")
        quiz.assess_explanation(current_user.id, attempt_id, position, ticked)
    except LookupError:
        abort(404)
    except QuizError as exc:
        flash(str(exc), "error")
    return redirect(
        url_for("quiz.question", attempt_id=attempt_id, position=position, _anchor="feedback")
    )


@bp.post("/<int:attempt_id>/q/<int:position>/hint")
@login_required
def hint(attempt_id: int, position: int) -> Response | tuple[str, int]:
    """Record that the learner asked for the hint, and show the question with it."""
    if not HintForm().validate():
        abort(400)
    try:
        quiz.ask_hint(current_user.id, attempt_id, position)
    except LookupError:
        abort(404)
    except HintRefusedError as exc:
        return render_template("errors/error.html", code=403, message=str(exc)), 403
    except QuizError as exc:
        flash(str(exc), "info")
    return redirect(
        url_for("quiz.question", attempt_id=attempt_id, position=position, _anchor="hint")
    )


def refused_answer(message: str) -> str | None:
    """Re-render a question whose answer POST was refused, keeping what was typed."""
    args = request.view_args or {}
    if not current_user.is_authenticated or "attempt_id" not in args:
        return None
    attempt = quiz.get_attempt(current_user.id, args["attempt_id"])
    view = quiz.item_view(attempt, args.get("position", 0)) if attempt else None
    if view is None:
        return None
    flash(message, "error")
    return render_template(
        "quiz/question.html",
        view=view,
        rendered_at=request.form.get("rendered_at", f"{time.time():.3f}"),
        topics=TOPICS,
        type_labels=TYPE_LABELS,
        typed=request.form.to_dict(flat=False),
    )


def _seconds_since(rendered_at: str) -> float:
    try:
        return max(0.0, time.time() - float(rendered_at))
    except ValueError:
        return 0.0


@bp.post("/<int:attempt_id>/finish")
@login_required
def finish(attempt_id: int) -> Response:
    """Finish an attempt and go to its review."""
    _own_attempt(attempt_id)
    if not FinishForm().validate():
        abort(400)
    quiz.finish_attempt(current_user.id, attempt_id)
    return redirect(url_for("quiz.review", attempt_id=attempt_id))


@bp.get("/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> str | Response:
    """Show a finished attempt, question by question."""
    attempt = _own_attempt(attempt_id)
    if attempt.status == "active":
        flash("Finish the attempt to see its review.", "info")
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=1))
    rows = quiz.attempt_review(attempt)
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        rows=rows,
        marks=quiz.confidence_marks(attempt, rows),
        topics=TOPICS,
    )


@bp.get("/history")
@login_required
def history() -> str:
    """List the learner's past attempts, a page at a time."""
    page = request.args.get("page", 1, type=int)
    return render_template(
        "quiz/history.html", pagination=quiz.list_attempts(current_user.id, page)
    )


@bp.post("/<int:attempt_id>/q/<int:position>/report")
@login_required
def report(attempt_id: int, position: int) -> Response:
    """Report a problem with a question to the instructors."""
    attempt = _own_attempt(attempt_id)
    view = quiz.item_view(attempt, position)
    if view is None:
        abort(404)
    form = ReportProblemForm()
    if form.validate():
        problems.report_problem(
            current_user.id, view.item.question_id, view.version.id, form.note.data or ""
        )
        flash("Thank you: your report was sent to the instructors.", "success")
    else:
        flash(" ".join(form.note.errors) or "Please describe the problem.", "error")
    return redirect(back_or(url_for("quiz.question", attempt_id=attempt_id, position=position)))
