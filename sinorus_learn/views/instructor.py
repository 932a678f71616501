"""Instructors: author and curate questions, import/export, run classes, read the results.

Routes live under /instructor, except /classes/join where students enter a join code.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from sinorus_learn.content import current_catalogue
from sinorus_learn.domain import qtypes
from sinorus_learn.domain.formats import FormatError
from sinorus_learn.domain.questions import LEVEL_LABELS, TOPICS, TYPE_LABELS
from sinorus_learn.forms.instructor import (
    BankFilterForm,
    ClassForm,
    ConfirmForm,
    ExportForm,
    ImportForm,
    JoinClassForm,
    PublishForm,
    QuestionForm,
    ResolveReportForm,
)
from sinorus_learn.models import ImportJob
from sinorus_learn.services import (
    authoring,
    bank,
    classes,
    explanations,
    health,
    imports,
    lint,
    passwords,
    progress,
    statistics,
    transfer,
)
from sinorus_learn.views.access import instructor_required, safe_next
from sinorus_learn.views.admin import show_link

bp = Blueprint("instructor", __name__)


def _own_class(class_id: int):  # type: ignore[no-untyped-def]
    """Return the class if the current user runs it (admins: any); 404 hides the others."""
    classroom = classes.get_class(class_id, current_user.id, see_all=current_user.is_admin)
    if classroom is None:
        abort(404)
    return classroom


def _question_form(**kwargs):  # type: ignore[no-untyped-def]
    content = current_catalogue()
    return QuestionForm(
        table_ids=sorted(content.tables()), objectives=content.lesson_objectives(), **kwargs
    )


# ---------------------------------------------------------------- classes


@bp.get("/instructor/")
@instructor_required
def index() -> str:
    """Show the instructor's classes, the new-class form and the open problem reports."""
    summaries = classes.list_classes(current_user.id, see_all=current_user.is_admin)
    return render_template(
        "instructor/index.html",
        classes=summaries,
        form=ClassForm(),
        open_reports=health.open_report_count(),
    )


@bp.post("/instructor/classes")
@instructor_required
def create_class() -> Response | tuple[str, int]:
    """Create a class with a join code; an invalid name re-shows the page (422)."""
    form = ClassForm()
    if not form.validate():
        summaries = classes.list_classes(current_user.id, see_all=current_user.is_admin)
        page = render_template(
            "instructor/index.html",
            classes=summaries,
            form=form,
            open_reports=health.open_report_count(),
        )
        return page, 422
    classroom = classes.create_class(current_user.id, form.name.data or "")
    flash(f"Class created. Its join code is {classroom.join_code}.", "success")
    return redirect(url_for("instructor.class_dashboard", class_id=classroom.id))


@bp.get("/instructor/classes/<int:class_id>")
@instructor_required
def class_dashboard(class_id: int) -> str:
    """Show a class's grid of students, recent activity and who is falling behind."""
    classroom = _own_class(class_id)
    board = statistics.class_dashboard(classroom.id)
    return render_template("instructor/class.html", classroom=classroom, board=board)


@bp.get("/instructor/classes/<int:class_id>/students/<int:student_id>")
@instructor_required
def student(class_id: int, student_id: int) -> str:
    """Show one enrolled student's results in a class."""
    classroom = _own_class(class_id)
    report = statistics.student_report(classroom.id, student_id)
    if report is None:
        abort(404)
    return render_template(
        "instructor/student.html",
        classroom=classroom,
        report=report,
        topics=TOPICS,
        objectives=progress.objective_progress(student_id, current_catalogue()),
    )


@bp.post("/instructor/classes/<int:class_id>/students/<int:student_id>/reset-link")
@instructor_required
def student_reset_link(class_id: int, student_id: int) -> Response:
    """Make a password-reset link for a student of one's class."""
    classroom = _own_class(class_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not classes.is_enrolled(classroom.id, student_id):
        abort(404)
    if not passwords.can_reset(current_user, student_id):
        abort(403)  # an instructor resets students' passwords, not colleagues'
    issued = passwords.issue_token(
        student_id, "reset", current_app.config["RESET_LINK_HOURS"], current_user.id
    )
    back = url_for("instructor.student", class_id=classroom.id, student_id=student_id)
    return show_link(issued, "Reset link made", back)


@bp.get("/instructor/classes/<int:class_id>/items")
@instructor_required
def class_items(class_id: int) -> str:
    """Show item statistics over one class's students."""
    classroom = _own_class(class_id)
    items = statistics.class_items(classroom.id)
    return render_template(
        "instructor/items.html",
        classroom=classroom,
        items=items,
        type_labels=TYPE_LABELS,
        low=statistics.LOW_FACILITY,
    )


@bp.get("/instructor/classes/<int:class_id>/results.csv")
@instructor_required
def class_csv(class_id: int) -> Response:
    """Download a class's results as CSV."""
    classroom = _own_class(class_id)
    filename = f"class-{classroom.id}-results.csv"
    return Response(
        statistics.class_csv(classroom.id),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/classes/join", methods=["GET", "POST"])
@login_required
def join_class() -> str | Response | tuple[str, int]:
    """Join a class by its code (any logged-in learner)."""
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            classroom = classes.join_class(current_user.id, form.code.data or "")
        except classes.ClassError as exc:
            form.code.errors.append(str(exc))  # type: ignore[attr-defined]
        else:
            flash(f"You joined “{classroom.name}”.", "success")
            return redirect(url_for("instructor.join_class"))
    page = render_template(
        "instructor/join.html", form=form, joined=classes.joined_classes(current_user.id)
    )
    return (page, 422) if form.errors else page


# ---------------------------------------------------------------- question bank


@bp.get("/instructor/questions")
@instructor_required
def questions() -> str:
    """List the bank's questions, filtered; an unknown filter value is said and ignored."""
    form = BankFilterForm(request.args, objectives=current_catalogue().lesson_objectives())
    form.validate()
    job_id = request.args.get("job", type=int)
    job = _own_job(job_id) if job_id is not None else None
    ignored = []  # a filter value no question can have (a stale or edited link): said, not used
    for name in ("level", "objective"):
        field = getattr(form, name)
        if field.errors:
            ignored.append(f"Unknown {name} “{field.data}”: that filter was ignored.")
            field.data, field.errors = "", []
    filters = bank.BankFilter(
        topic=form.topic.data or "",
        qtype=form.qtype.data or "",
        origin=form.origin.data or "",
        tag=form.tag.data or "",
        status=form.status.data or "",
        text=form.q.data or "",
        level=form.level.data or "",
        objective=form.objective.data or "",
        keys=tuple(job.added_keys or ()) if job else None,
    )
    result = bank.browse(filters, page=request.args.get("page", 1, type=int))
    args = {
        k: v
        for k, v in request.args.items()
        if k != "page" and v and not (k in ("level", "objective") and not getattr(form, k).data)
    }
    return render_template(
        "instructor/questions.html",
        form=form,
        result=result,
        args=args,
        topics=TOPICS,
        type_labels=TYPE_LABELS,
        level_labels=LEVEL_LABELS,
        ignored=ignored,
        job=job,
    )


@bp.route("/instructor/questions/new", methods=["GET", "POST"])
@instructor_required
def new_question() -> str | Response | tuple[str, int]:
    """Write a question, published at once or saved as a draft."""
    form = _question_form()
    if form.validate_on_submit():
        draft = bool(form.save_draft.data)
        try:
            saved = authoring.create_question(
                form.to_input(), current_user.id, current_catalogue(), draft=draft
            )
        except authoring.AuthoringError as exc:
            form.add_problems(exc.problems)
        else:
            saved_as = " as a draft: no learner sees it until you publish it" if draft else ""
            flash(f"Question saved{saved_as}. Check it as a learner sees it.", "success")
            return redirect(url_for("instructor.preview", question_id=saved.question_id))
    page = render_template("instructor/question_form.html", form=form, question=None)
    return (page, 422) if form.errors else page


@bp.route("/instructor/questions/<int:question_id>/edit", methods=["GET", "POST"])
@instructor_required
def edit_question(question_id: int) -> str | Response | tuple[str, int]:
    """Edit a question: a new version, the old one kept for past answers."""
    found = authoring.get_question(question_id) or abort(404)
    form = _question_form(data=asdict(authoring.input_of(authoring.spec_of(*found))))
    if form.validate_on_submit():
        try:
            saved = authoring.edit_question(question_id, form.to_input(), current_catalogue())
        except authoring.AuthoringError as exc:
            form.add_problems(exc.problems)
        else:
            flash(
                f"Saved as version {saved.version}." if saved.changed else "Nothing changed.",
                "success",
            )
            return redirect(url_for("instructor.preview", question_id=question_id))
    page = render_template("instructor/question_form.html", form=form, question=found[0])
    return (page, 422) if form.errors else page


@bp.route("/instructor/questions/<int:question_id>/preview", methods=["GET", "POST"])
@instructor_required
def preview(question_id: int) -> str:
    """Show a question as a learner sees it; a POST grades a trial answer."""
    form = ConfirmForm()
    graded = request.method == "POST" and form.validate_on_submit()
    view = authoring.preview(question_id, request.form if graded else None) or abort(404)
    stats = statistics.item_statistics(question_ids=[question_id])
    return render_template(
        "instructor/preview.html",
        view=view,
        form=form,
        findings=lint.lint_question(view.question, view.version),
        stats=stats[0] if stats else None,
        topics=TOPICS,
        type_labels=TYPE_LABELS,
        status_form=ConfirmForm(),
        **_written(question_id, view.version.qtype),
    )


def _written(question_id: int, qtype: str) -> dict[str, Any]:
    """The written answers section of an explain question's page: one page, one class."""
    if not qtypes.get(qtype).self_assessed:
        return {"written": None}
    class_id = request.args.get("class_id", type=int)
    see_all = current_user.is_admin
    return {
        "written": explanations.written_answers(
            question_id,
            current_user.id,
            see_all=see_all,
            class_id=class_id,
            page=request.args.get("page", 1, type=int),
        ),
        "my_classes": classes.list_classes(current_user.id, see_all=see_all),
        "class_id": class_id,
    }


@bp.post("/instructor/questions/<int:question_id>/written/<int:response_id>")
@instructor_required
def correct_written(question_id: int, response_id: int) -> Response:
    """Untick the points a student's written answer does not support; rescore it."""
    try:
        score = explanations.correct_assessment(
            current_user.id,
            question_id,
            response_id,
            request.form.getlist("supported"),
            see_all=current_user.is_admin,
        )
    except LookupError:
        abort(404)
    except explanations.CorrectionError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Corrected: the answer now scores {round(score * 100)}%.", "success")
    back = {k: v for k, v in request.args.items() if k in ("class_id", "page") and v}
    return redirect(
        url_for("instructor.preview", question_id=question_id, _anchor="written", **back)
    )


@bp.post("/instructor/questions/<int:question_id>/retire")
@instructor_required
def retire(question_id: int) -> Response:
    """Retire a question: new attempts leave it out."""
    return _set_status(question_id, "retired", "Question retired: new attempts leave it out.")


@bp.post("/instructor/questions/<int:question_id>/restore")
@instructor_required
def restore(question_id: int) -> Response:
    """Make a retired question active again."""
    return _set_status(question_id, "active", "Question active again.")


@bp.post("/instructor/questions/<int:question_id>/publish")
@instructor_required
def publish(question_id: int) -> Response:
    """Publish one draft question."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if authoring.get_question(question_id) is None:
        abort(404)
    if authoring.publish([question_id]):
        flash("Question published: quizzes can draw on it now.", "success")
    else:
        flash("Only a draft can be published; this question is not one.", "error")
    return redirect(url_for("instructor.preview", question_id=question_id))


@bp.post("/instructor/questions/publish")
@instructor_required
def publish_drafts() -> Response | tuple[str, int]:
    """Publish the chosen draft questions at once."""
    form = PublishForm()
    back = safe_next(request.form.get("next"), url_for("instructor.questions", status="draft"))
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        message = "Nothing was published: " + " ".join(m for ms in form.errors.values() for m in ms)
        return render_template("errors/error.html", code=422, message=message), 422
    count = authoring.publish(form.question.data or [])
    flash(f"{count} draft(s) published: quizzes can draw on them now.", "success")
    return redirect(back)


def _set_status(question_id: int, status: str, message: str) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        authoring.set_status(question_id, status)
    except LookupError:
        abort(404)
    flash(message, "success")
    return redirect(url_for("instructor.preview", question_id=question_id))


@bp.route("/instructor/questions/import", methods=["GET", "POST"])
@instructor_required
def import_questions() -> str | Response | tuple[str, int]:
    """Upload a GIFT or JSON file and check it as a pending import job."""
    form = ImportForm(objectives=current_catalogue().lesson_objectives())
    if not form.validate_on_submit():
        return _import_page(form, status=422 if form.errors else 200)
    config = current_app.config
    max_bytes = int(config["IMPORT_MAX_BYTES"])
    raw = form.file.data.read(max_bytes + 1)
    try:
        if len(raw) > max_bytes:
            raise FormatError(f"the file is larger than {transfer.size_text(max_bytes)}")
        upload = imports.Upload(
            raw.decode("utf-8-sig"),
            form.file.data.filename or "",
            form.topic.data or transfer.DEFAULT_TOPIC,
            form.level.data or "",
            tuple(form.objectives.data or ()),
        )
        job_id = imports.upload(
            upload,
            current_user.id,
            int(config["IMPORT_MAX_QUESTIONS"]),
            objectives=current_catalogue().objective_ids(),
        )
    except UnicodeDecodeError:
        return _import_page(form, error="expected UTF-8 text", status=422)
    except FormatError as exc:
        return _import_page(form, error=str(exc), missing=exc.missing, status=422)
    return redirect(url_for("instructor.import_job", job_id=job_id))


def _import_page(
    form: ImportForm, error: str | None = None, missing: tuple[str, ...] = (), status: int = 200
) -> tuple[str, int]:
    page = render_template(
        "instructor/import.html",
        limits=_import_limits(),
        form=form,
        error=error,
        missing=missing,
        jobs=imports.recent_jobs(current_user.id),
    )
    return page, status


def _own_job(job_id: int):  # type: ignore[no-untyped-def]
    """Return the import job if the current user started it (admins: any); 404 otherwise."""
    return imports.get_job(job_id, current_user.id, see_all=current_user.is_admin) or abort(404)


@bp.get("/instructor/imports/<int:job_id>")
@instructor_required
def import_job(job_id: int) -> str | tuple[str, int]:
    """Show an import job: the pending preview, or its progress and result."""
    job = _own_job(job_id)
    if job.status == "pending":
        return _import_preview(job)
    stalled = imports.is_stalled(job)
    moving = job.status in imports.RUNNING and not stalled  # the page refreshes itself
    return render_template("instructor/import_job.html", job=job, stalled=stalled, moving=moving)


def _import_preview(
    job: ImportJob,
    chosen: imports.CategoryMap | None = None,
    error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The pending job's page: its categories, the topic (and objectives) each goes to, and
    what the import would do."""
    summary = imports.summarise(job)
    if chosen is None:
        chosen = imports.CategoryMap(transfer.category_mapping(summary, {}))
    report = None
    if error is None:
        try:
            report = imports.check(
                job,
                chosen,
                int(current_app.config["IMPORT_MAX_QUESTIONS"]),
                objectives=current_catalogue().objective_ids(),
            )
        except FormatError as exc:  # said on the page; the file is kept for a remap
            error = str(exc)
    page = render_template(
        "instructor/import_preview.html", job=job, summary=summary, chosen=chosen,
        report=report, error=error, topics=TOPICS, form=ConfirmForm(),
        objective_groups=current_catalogue().lesson_objectives(),
    )  # fmt: skip
    return page, status


@bp.post("/instructor/imports/<int:job_id>/start")
@instructor_required
def start_import(job_id: int) -> Response | tuple[str, int]:
    """Confirm a pending import with its category mapping and start it."""
    job = _own_job(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if job.status != "pending":
        return redirect(url_for("instructor.import_job", job_id=job.id))
    summary = imports.summarise(job)
    names = {index: group.name for index, group in enumerate(summary.groups) if group.mappable}
    form = request.form
    objectives = current_catalogue().objective_ids()
    try:  # a forged form (an unknown category, topic or objective) is refused here
        topics = transfer.category_mapping(
            summary, {name: form[f"topic-{i}"] for i, name in names.items() if f"topic-{i}" in form}
        )
        picked = {name: form.getlist(f"objectives-{i}") for i, name in names.items()}
        chosen = imports.CategoryMap(
            topics, transfer.check_category_objectives(topics, picked, objectives)
        )
    except FormatError as exc:
        return _import_preview(job, error=str(exc), status=422)
    try:
        imports.confirm(
            job, chosen, int(current_app.config["IMPORT_MAX_QUESTIONS"]), objectives=objectives
        )
    except (FormatError, imports.ImportJobError) as exc:
        return _import_preview(job, chosen, error=str(exc), status=422)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    imports.launch(app, job.id, objectives=objectives)
    return redirect(url_for("instructor.import_job", job_id=job.id))


@bp.post("/instructor/imports/<int:job_id>/cancel")
@instructor_required
def cancel_import(job_id: int) -> Response:
    """Cancel an import that has not started: nothing is imported."""
    job = _own_job(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        imports.cancel(job)
    except imports.ImportJobError as exc:
        flash(str(exc).capitalize() + ".", "error")
        return redirect(url_for("instructor.import_job", job_id=job.id))
    flash("Import cancelled: nothing was imported.", "success")
    return redirect(url_for("instructor.import_questions"))


def _import_limits() -> dict[str, str | int]:
    """The file limits the import page states (IMPORT_MAX_BYTES, IMPORT_MAX_QUESTIONS)."""
    config = current_app.config
    return {
        "size": transfer.size_text(int(config["IMPORT_MAX_BYTES"])),
        "questions": int(config["IMPORT_MAX_QUESTIONS"]),
    }


@bp.get("/instructor/questions/export")
@instructor_required
def export_questions() -> str | Response:
    """Show the export form, or download the bank as JSON or GIFT."""
    form = ExportForm(request.args)
    if "format" not in request.args:
        return render_template("instructor/export.html", form=form)
    if not form.validate():
        abort(400)
    result = transfer.export_questions(
        form.format.data, form.topic.data or None, form.source.data or None
    )
    return Response(
        result.text,
        mimetype=result.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )


@bp.get("/instructor/items")
@instructor_required
def items() -> str:
    """Show item statistics over every learner."""
    return render_template(
        "instructor/items.html",
        classroom=None,
        items=statistics.item_statistics(),
        type_labels=TYPE_LABELS,
        low=statistics.LOW_FACILITY,
    )


# ---------------------------------------------------------------- health and reports


@bp.get("/instructor/health")
@instructor_required
def bank_health() -> str:
    """Show the tables' warnings, objective coverage and template statistics."""
    tables = current_catalogue().tables()
    return render_template(
        "instructor/health.html",
        warnings=health.table_warnings(tables),
        coverage=health.coverage(tables),
        templates=health.template_statistics(),
    )


@bp.get("/instructor/reports")
@instructor_required
def reports() -> str:
    """List learners' problem reports by status."""
    status = request.args.get("status", "open")
    result = health.list_reports(status, page=request.args.get("page", 1, type=int))
    return render_template(
        "instructor/reports.html",
        result=result,
        status=status,
        form=ResolveReportForm(),
        statuses=health.REPORT_STATUSES,
    )


@bp.post("/instructor/reports/<int:report_id>/resolve")
@instructor_required
def resolve_report(report_id: int) -> Response:
    """Resolve a problem report, with an optional reply to the learner."""
    form = ResolveReportForm()
    if not form.validate_on_submit():
        flash("Choose what to do with the report.", "error")
        return redirect(url_for("instructor.reports"))
    try:
        health.resolve_report(
            report_id, current_user.id, form.action.data or "", form.reply.data or ""
        )
    except LookupError:
        abort(404)
    except health.HealthError as exc:
        flash(str(exc), "error")
    else:
        flash("Report closed.", "success")
    return redirect(url_for("instructor.reports"))
