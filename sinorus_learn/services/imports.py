"""Question-file imports as jobs: an upload is checked and kept, the instructor confirms how
its categories map to topics, and the import runs in the background while a status page,
served by any worker from the job's row, shows its progress.

A job writes its questions and its own "done" in one transaction: a job that fails, or whose
worker dies, has written nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete, select, update

from sinorus_learn.database import IMMEDIATE, DatabaseBusy, utcnow, write
from sinorus_learn.domain.formats import FormatError
from sinorus_learn.extensions import db
from sinorus_learn.models import ImportJob
from sinorus_learn.services import transfer
from sinorus_learn.services.transfer import FileSummary, ImportReport

RUNNING = ("queued", "running")
STALE_AFTER = timedelta(minutes=5)  # a running job whose row stays still this long lost its worker
PENDING_KEPT = timedelta(days=1)  # an upload never confirmed is deleted after this
PROGRESS_SECONDS = 0.5  # at most one progress write per this many seconds

LOG = logging.getLogger(__name__)  # a child of the app's logger ("sinorus_learn")


class ImportJobError(ValueError):
    """A job that cannot do what was asked (confirm a started job, map an unknown category)."""


@dataclass(frozen=True)
class Upload:
    """An uploaded file and the defaults chosen with it."""

    text: str
    filename: str
    topic: str = transfer.DEFAULT_TOPIC
    level: str = ""
    objectives: tuple[str, ...] = ()


Objectives = Mapping[str, Sequence[str]]  # each topic's lesson objective ids


def upload(data: Upload, user_id: int, max_questions: int, *, objectives: Objectives) -> int:
    """Check the whole file as it would be imported with the topics its categories suggest
    (a FormatError at the first problem: too many questions, a syntax error, a question
    without a level) and keep it as a pending job; return the job's id.

    A GIFT file with categories may lack objectives: they can be chosen per category when
    the mapping is confirmed (``confirm`` checks them). ``objectives``: those of the lessons."""
    summary = transfer.summarise(data.text, data.filename, data.topic, max_questions)
    try:
        transfer.import_questions(
            data.text, data.filename, dry_run=True, user_id=user_id, default_topic=data.topic,
            default_level=data.level, default_objectives=data.objectives,
            max_questions=max_questions, objectives=objectives,
        )  # fmt: skip
    except FormatError as exc:
        named = any(group.mappable and group.name for group in summary.groups)
        if not (named and exc.missing == ("objectives",)):
            raise
    now = utcnow()
    with write():
        db.session.execute(
            delete(ImportJob).where(
                ImportJob.status == "pending", ImportJob.created_at < now - PENDING_KEPT
            )
        )
        job = ImportJob(
            user_id=user_id,
            status="pending",
            filename=data.filename[:255],
            format=summary.format,
            text=data.text,
            options={"topic": data.topic, "level": data.level, "objectives": list(data.objectives)},
            total=summary.questions,
            created_at=now,
            updated_at=now,
        )
        db.session.add(job)
    return job.id


def get_job(job_id: int, user_id: int, see_all: bool = False) -> ImportJob | None:
    """Return the job if ``user_id`` started it (admins: any job); None hides the others."""
    job = db.session.get(ImportJob, job_id)
    if job is None or (job.user_id != user_id and not see_all):
        return None
    return job


def recent_jobs(user_id: int, limit: int = 5) -> list[ImportJob]:
    """The user's latest imports, newest first."""
    return list(
        db.session.scalars(
            select(ImportJob)
            .where(ImportJob.user_id == user_id)
            .order_by(ImportJob.id.desc())
            .limit(limit)
        )
    )


def is_stalled(job: ImportJob) -> bool:
    """Tell whether a queued or running job has stopped moving (its worker went away)."""
    return job.status in RUNNING and job.updated_at < utcnow() - STALE_AFTER


def summarise(job: ImportJob) -> FileSummary:
    """Count a pending job's questions per category, with the topic each would go to."""
    return transfer.summarise(job.text, job.filename, _options(job)["topic"])


@dataclass(frozen=True)
class CategoryMap:
    """Where each GIFT category goes: its topic, and objectives for its questions that
    carry none."""

    topics: Mapping[str, str]
    objectives: Mapping[str, Sequence[str]] = field(default_factory=dict)


def check(
    job: ImportJob, mapping: CategoryMap, max_questions: int, *, objectives: Objectives
) -> ImportReport:
    """Check the whole file as it would be imported with ``mapping``; write nothing."""
    return transfer.import_questions(
        job.text, job.filename, dry_run=True, user_id=job.user_id,
        category_topics=mapping.topics, category_objectives=mapping.objectives,
        max_questions=max_questions, objectives=objectives, **_defaults(job),
    )  # fmt: skip


def confirm(
    job: ImportJob, mapping: CategoryMap, max_questions: int, *, objectives: Objectives
) -> ImportReport:
    """Check a pending job with its mapping (FormatError: still pending, nothing written),
    then queue it; the caller starts it with ``launch``."""
    if job.status != "pending":
        raise ImportJobError("this import was confirmed already")
    report = check(job, mapping, max_questions, objectives=objectives)
    options = {
        **_options(job),
        "categories": dict(mapping.topics),
        "category_objectives": {k: list(v) for k, v in mapping.objectives.items()},
        "max_questions": max_questions,
    }
    _set(job.id, "pending", status="queued", options=options)
    return report


def cancel(job: ImportJob) -> None:
    """Drop a pending job's file: it will not be imported."""
    if job.status != "pending":
        raise ImportJobError("only an import that has not started can be cancelled")
    _set(job.id, "pending", status="cancelled", text="")


def launch(app: Flask, job_id: int, *, objectives: Objectives) -> None:
    """Run a queued job: inline (IMPORT_JOBS_INLINE, for tests and scripts) or in a thread of
    this worker with its own app context. The thread is not a daemon, so a worker's graceful
    shutdown waits for it; a worker killed mid-import leaves a stalled job and no questions."""
    if app.config.get("IMPORT_JOBS_INLINE"):
        run(job_id, objectives=objectives)
        return
    thread = threading.Thread(
        target=_run_in_context, args=(app, job_id, objectives), name=f"sinorus-import-{job_id}"
    )
    thread.start()


def _run_in_context(app: Flask, job_id: int, objectives: Objectives) -> None:
    with app.app_context():
        try:
            run(job_id, objectives=objectives)
        finally:
            db.session.remove()


def run(job_id: int, *, objectives: Objectives) -> None:
    """Import a queued job's file: its questions and its outcome in one transaction; on any
    error nothing is written and the job says why. ``objectives``: those of the lessons."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status != "queued":
        return
    options = _options(job)
    text, filename, user_id = job.text, job.filename, job.user_id
    defaults = _defaults(job)
    if not _set(job_id, "queued", status="running", started_at=utcnow()):
        return  # another worker took it
    try:
        transfer.import_questions(
            text, filename, user_id=user_id, publish=bool(options.get("publish")),
            category_topics=options.get("categories") or {},
            category_objectives=options.get("category_objectives") or {},
            max_questions=int(options.get("max_questions") or transfer.MAX_QUESTIONS),
            progress=_progress_writer(job_id),
            before_commit=lambda report: _record_done(job_id, report), objectives=objectives,
            **defaults,
        )  # fmt: skip
    except FormatError as exc:
        _fail(job_id, f"Nothing was imported: {exc}")
    except DatabaseBusy:
        _fail(job_id, "Nothing was imported: the database stayed busy. Upload the file again.")
    except Exception:  # noqa: BLE001 - whatever it was, the job must say it failed
        LOG.exception("import job %s failed", job_id)
        _fail(job_id, "Nothing was imported: the import stopped on an unexpected error.")


def _record_done(job_id: int, report: ImportReport) -> None:
    """Mark the job done inside the import's own write transaction."""
    now = utcnow()
    db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(
            status="done", added=len(report.added), updated=len(report.updated),
            unchanged=len(report.unchanged), skipped=len(report.skipped),
            added_keys=list(report.added), message="\n".join(report.lines()), text="",
            finished_at=now, updated_at=now,
        )
    )  # fmt: skip


def _fail(job_id: int, message: str) -> None:
    db.session.rollback()  # error handling: whatever failed may have left the session unusable
    _set(job_id, None, status="failed", message=message, text="", finished_at=utcnow())


def _set(job_id: int, expected: str | None, **values: Any) -> bool:
    """Update the job in its own short transaction, if its status is still ``expected``."""
    with write():
        query = update(ImportJob).where(ImportJob.id == job_id)
        if expected is not None:
            query = query.where(ImportJob.status == expected)
        result = db.session.execute(query.values(updated_at=utcnow(), **values))
    return bool(getattr(result, "rowcount", 0))


def _progress_writer(job_id: int) -> transfer.Progress:
    """Return a callback storing how many questions are checked, at most twice a second, on a
    connection of its own (the import's session is left alone)."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_SECONDS:
            return
        last[0] = now
        table = ImportJob.__table__
        with db.engine.connect() as conn:
            conn = conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                conn.execute(
                    update(table)
                    .where(table.c.id == job_id)
                    .values(processed=done, total=total, updated_at=utcnow())
                )

    return report


def _options(job: ImportJob) -> dict[str, Any]:
    options = dict(job.options or {})
    options.setdefault("topic", transfer.DEFAULT_TOPIC)
    return options


def _defaults(job: ImportJob) -> dict[str, Any]:
    options = _options(job)
    objectives: Sequence[str] = options.get("objectives") or ()
    return {
        "default_topic": options["topic"],
        "default_level": options.get("level") or "",
        "default_objectives": tuple(objectives),
    }
