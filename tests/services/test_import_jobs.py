"""Import jobs (issue 18): the upload is checked, kept as a job, run in the background with
progress any worker can read, and either writes everything with its "done" or nothing."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from sinorus_learn.database import DatabaseBusy, utcnow
from sinorus_learn.domain.formats import FormatError
from sinorus_learn.extensions import db
from sinorus_learn.models import ImportJob, Question, QuestionVersion
from sinorus_learn.services import imports, transfer
from tests.support.content import objective_ids

OPTIONS = {"topic": "overview", "level": "recall", "objectives": ("overview.best-ever",)}
GIFT = """$CATEGORY: Moodle/Energy

::Rail:: Did oil go by rail? {T}

$CATEGORY: Moodle/Misc

::Misc:: Is this a question? {T}
"""


def gift_file(count: int) -> str:
    return "\n\n".join(f"::Q{i}:: Is {i} a number? {{T}}" for i in range(count))


def upload(app: Flask, user_id: int, text: str = "", **options: Any) -> int:
    text = text or gift_file(2)
    with app.app_context():
        data = imports.Upload(text, "file.gift", **{**OPTIONS, **options})
        return imports.upload(data, user_id, objectives=objective_ids(), max_questions=2000)


def job_of(app: Flask, job_id: int) -> ImportJob:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Question.id))) or 0,
            db.session.scalar(select(func.count(QuestionVersion.id))) or 0,
        )


def confirm(
    app: Flask,
    job_id: int,
    topics: dict[str, str] | None = None,
    objectives: dict[str, list[str]] | None = None,
) -> None:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert job is not None
        mapping = transfer.category_mapping(imports.summarise(job), topics or {})
        chosen = transfer.check_category_objectives(mapping, objectives or {}, objective_ids())
        imports.confirm(
            job,
            imports.CategoryMap(mapping, chosen),
            objectives=objective_ids(),
            max_questions=2000,
        )


def test_a_job_is_uploaded_confirmed_and_run_to_done(app, make_user) -> None:
    teacher = make_user("instructor")
    job_id = upload(app, teacher.id, GIFT)  # objectives: for the mapping to choose
    pending = job_of(app, job_id)
    assert (pending.status, pending.total, pending.format) == ("pending", 2, "gift")
    assert counts(app) == (0, 0)  # checked, kept, nothing written
    with pytest.raises(FormatError, match="no objectives"):  # energy's are not chosen yet
        confirm(app, job_id, {"Moodle/Misc": "sco"}, {"Moodle/Misc": ["sco.origins"]})
    with pytest.raises(FormatError, match="'sco.origins' chosen for category 'Moodle/Energy'"):
        confirm(app, job_id, {}, {"Moodle/Energy": ["sco.origins"]})
    assert job_of(app, job_id).status == "pending"
    confirm(
        app,
        job_id,
        {"Moodle/Misc": "sco"},
        {"Moodle/Misc": ["sco.origins"], "Moodle/Energy": ["energy.oil-table"]},
    )
    assert job_of(app, job_id).status == "queued"
    with app.app_context():
        imports.run(job_id, objectives=objective_ids())
        topics = dict(db.session.execute(select(Question.key, Question.topic)).all())
        filed = dict(db.session.execute(select(Question.key, Question.objectives)).all())
        statuses = set(db.session.scalars(select(Question.status)))
    done = job_of(app, job_id)
    assert (done.status, done.added, done.processed, done.total) == ("done", 2, 2, 2)
    assert sorted(done.added_keys) == ["import:misc", "import:rail"]
    assert done.text == "" and done.finished_at is not None
    assert "2 question(s) added as drafts" in done.message
    assert topics == {"import:rail": "energy", "import:misc": "sco"} and statuses == {"draft"}
    assert filed == {"import:rail": ["energy.oil-table"], "import:misc": ["sco.origins"]}


def test_an_upload_is_checked_before_any_job_is_kept(app, make_user) -> None:
    teacher = make_user("instructor")
    with pytest.raises(FormatError, match="line 3"):
        upload(app, teacher.id, "::A:: ok {T}\n\n::B:: broken {=a ~b\n")
    with pytest.raises(FormatError, match="no level"):
        upload(app, teacher.id, level="")
    with pytest.raises(FormatError, match="at most 2000"):
        upload(app, teacher.id, gift_file(2001))
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportJob.id))) == 0


def test_a_failure_while_writing_leaves_nothing_half_written(app, make_user, monkeypatch) -> None:
    """The new rows are inserted, then the write fails: they are rolled back with it, and
    the job says what happened."""
    teacher = make_user("instructor")
    job_id = upload(app, teacher.id, gift_file(300))
    confirm(app, job_id)
    original = transfer.insert_new_rows

    def insert_then_fail(rows: Any) -> None:
        original(rows)
        raise RuntimeError("disk full")

    monkeypatch.setattr(transfer, "insert_new_rows", insert_then_fail)
    with app.app_context():
        imports.run(job_id, objectives=objective_ids())
    failed = job_of(app, job_id)
    assert failed.status == "failed" and failed.added == 0 and failed.added_keys == []
    assert failed.message.startswith("Nothing was imported: the import stopped on an unexpected")
    assert "disk full" not in failed.message  # the log has the details, not the page
    assert counts(app) == (0, 0)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (DatabaseBusy(), "the database stayed busy"),
        (FormatError("key 'x' changed meanwhile"), "key 'x' changed meanwhile"),
    ],
)
def test_a_failed_job_says_why(app, make_user, monkeypatch, error, message) -> None:
    teacher = make_user("instructor")
    job_id = upload(app, teacher.id)
    confirm(app, job_id)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise error

    monkeypatch.setattr(transfer, "insert_versions", fail)
    with app.app_context():
        imports.run(job_id, objectives=objective_ids())
    failed = job_of(app, job_id)
    assert failed.status == "failed" and message in failed.message
    assert counts(app) == (0, 0)


def test_only_the_owner_or_an_admin_sees_a_job(app, make_user) -> None:
    owner, other, admin = make_user("instructor"), make_user("instructor"), make_user("admin")
    job_id = upload(app, owner.id)
    with app.app_context():
        assert imports.get_job(job_id, owner.id) is not None
        assert imports.get_job(job_id, other.id) is None
        assert imports.get_job(job_id, admin.id, see_all=True) is not None
        assert imports.get_job(job_id + 1, owner.id, see_all=True) is None
        assert [j.id for j in imports.recent_jobs(owner.id)] == [job_id]
        assert imports.recent_jobs(other.id) == []


def test_a_job_is_confirmed_once_and_cancelled_only_while_pending(app, make_user) -> None:
    teacher = make_user("instructor")
    first, second = upload(app, teacher.id), upload(app, teacher.id)
    confirm(app, first)
    with pytest.raises(imports.ImportJobError, match="confirmed already"):
        confirm(app, first)
    with app.app_context():
        job = db.session.get(ImportJob, first)
        with pytest.raises(imports.ImportJobError):
            imports.cancel(job)
        imports.cancel(db.session.get(ImportJob, second))
        imports.run(second, objectives=objective_ids())  # a cancelled job never runs
    cancelled = job_of(app, second)
    assert (cancelled.status, cancelled.text) == ("cancelled", "")
    assert counts(app) == (0, 0)


def test_progress_is_reported_as_the_file_is_checked(app) -> None:
    calls: list[tuple[int, int]] = []
    with app.app_context():
        transfer.import_questions(
            gift_file(250), "q.gift", objectives=objective_ids(),
            progress=lambda n, total: calls.append((n, total)),
            default_level="recall", default_objectives=("overview.best-ever",),
        )  # fmt: skip
    assert calls == [(100, 250), (200, 250), (250, 250)]


def test_a_job_runs_in_a_thread_and_reports_progress_from_its_row(app, make_user) -> None:
    teacher = make_user("instructor")
    job_id = upload(app, teacher.id, gift_file(400))
    confirm(app, job_id)
    app.config["IMPORT_JOBS_INLINE"] = False
    with app.app_context():
        known = objective_ids()
    imports.launch(app, job_id, objectives=known)
    (thread,) = [t for t in threading.enumerate() if t.name == f"sinorus-import-{job_id}"]
    thread.join(60)
    done = job_of(app, job_id)
    assert (done.status, done.added, done.processed) == ("done", 400, 400), done.message
    assert counts(app) == (400, 400)


def test_a_job_whose_worker_went_away_is_stalled(app, make_user) -> None:
    teacher = make_user("instructor")
    job_id = upload(app, teacher.id)
    confirm(app, job_id)
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert job is not None and not imports.is_stalled(job)
        db.session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(status="running", updated_at=utcnow() - timedelta(minutes=6))
        )
        db.session.commit()
        job = db.session.get(ImportJob, job_id)
        assert job is not None and imports.is_stalled(job)
        imports.run(
            job_id, objectives=objective_ids()
        )  # only a queued job is run: a stalled one stays as it is
    assert job_of(app, job_id).status == "running" and counts(app) == (0, 0)


def test_old_unconfirmed_uploads_are_dropped(app, make_user) -> None:
    teacher = make_user("instructor")
    old = upload(app, teacher.id)
    with app.app_context():
        db.session.execute(
            update(ImportJob)
            .where(ImportJob.id == old)
            .values(created_at=utcnow() - timedelta(days=2))
        )
        db.session.commit()
    upload(app, teacher.id)
    with app.app_context():
        kept = db.session.execute(select(ImportJob.created_at)).scalars().all()
    assert len(kept) == 1 and kept[0] > utcnow() - timedelta(hours=1)  # only the new one
