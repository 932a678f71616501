"""Load question_bank/ into the database: idempotent, versioning changed questions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from sinorus_learn.database import utcnow, write
from sinorus_learn.domain.authored import AuthoredError, load_authored
from sinorus_learn.domain.bank_check import REPORT_FILE, BankError, check_bank
from sinorus_learn.domain.content import ContentError, lesson_hash, load_lessons
from sinorus_learn.domain.evidence import ReportText
from sinorus_learn.domain.generators import generate_bank
from sinorus_learn.domain.questions import QuestionSpec, answer_to_json
from sinorus_learn.domain.search import Passage, passages
from sinorus_learn.domain.tables import Table, TableError, load_tables, timeline_entries
from sinorus_learn.extensions import db
from sinorus_learn.models import Lesson, Question, QuestionVersion, TimelineEvent
from sinorus_learn.services import search

BANK_SEED = 0
# What a broken question_bank/ raises: each names the file and the problem.
CONTENT_ERRORS = (ContentError, AuthoredError, TableError, BankError)


@dataclass
class SyncReport:
    """What a content load changed, for the CLI to print."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def lines(self) -> list[str]:
        return [f"{what}: {n}" for what, n in sorted(self.counts.items())]


def bank_specs(bank_dir: Path, tables: dict[str, Table] | None = None) -> list[QuestionSpec]:
    """Return every question the bank defines, generated from tables, then hand-written;
    raise BankError when one is unclassified or quotes the report wrongly."""
    tables = tables if tables is not None else load_tables(bank_dir / "tables")
    specs = generate_bank(tables, seed=BANK_SEED) + load_authored(bank_dir / "questions")
    lessons = load_lessons(bank_dir / "lessons")
    check_bank(specs, lessons, ReportText.from_file(bank_dir / REPORT_FILE))
    return specs


def load_content(bank_dir: Path) -> SyncReport:
    """Sync lessons, the timeline, the search index and the question bank; running it twice
    changes nothing."""
    tables = load_tables(bank_dir / "tables")
    lessons = load_lessons(bank_dir / "lessons")
    specs = bank_specs(bank_dir, tables)
    events = timeline_entries(tables)
    report = SyncReport()
    with write():
        _sync_lessons(lessons, report)
        _sync_timeline(events, report)
        _sync_search(passages(lessons, events), report)
        _sync_questions(specs, report, origin_of=_origin)
        return report


def _sync_search(found: Sequence[Passage], report: SyncReport) -> None:
    written = search.sync_index(found)
    if written is None:
        report.add("search passages unchanged", len(found))
    else:
        report.add("search passages indexed", written)


def _origin(spec: QuestionSpec) -> str:
    return "generated" if spec.template else "authored"


def _sync_lessons(lessons: Sequence[Any], report: SyncReport) -> None:
    existing = {lesson.slug: lesson for lesson in db.session.scalars(select(Lesson))}
    for item in lessons:
        digest = lesson_hash(item)
        row = existing.get(item.slug)
        if row is not None and row.content_hash == digest:
            report.add("lessons unchanged")
            continue
        body = dataclasses.asdict(item)
        values = {
            "position": item.position,
            "title": item.title,
            "section": item.section,
            "summary": item.summary,
            "body": body,
            "content_hash": digest,
        }
        if row is None:
            db.session.add(Lesson(slug=item.slug, **values))
            report.add("lessons added")
        else:
            for name, value in values.items():
                setattr(row, name, value)
            report.add("lessons updated")


def _sync_timeline(entries: Iterable[Any], report: SyncReport) -> None:
    existing = {event.key: event for event in db.session.scalars(select(TimelineEvent))}
    seen: set[str] = set()
    for entry in entries:
        seen.add(entry.key)
        values = {
            "year": entry.year,
            "month": entry.month,
            "day": entry.day,
            "event": entry.event,
            "topic": entry.topic,
            "footnotes": list(entry.footnotes),
        }
        row = existing.get(entry.key)
        if row is None:
            db.session.add(TimelineEvent(key=entry.key, **values))
            report.add("timeline events added")
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            report.add("timeline events updated")
        else:
            report.add("timeline events unchanged")
    for key, row in existing.items():
        if key not in seen:
            db.session.delete(row)
            report.add("timeline events deleted")


def version_values(spec: QuestionSpec) -> dict[str, Any]:
    """Return the QuestionVersion columns for ``spec``."""
    return {
        "content_hash": spec.content_hash(),
        "qtype": spec.type,
        "prompt": spec.prompt,
        "choices": list(spec.choices) if spec.choices is not None else None,
        "answer": answer_to_json(spec.type, spec.answer),
        "explanation": spec.explanation,
        "difficulty": spec.difficulty,
        "source": spec.source.to_dict(),
        "evidence": spec.evidence,
        "option_feedback": [[option, text] for option, text in spec.option_feedback],
        "text_format": spec.text_format,
        "hint": spec.hint,
    }


def classify(question: Question, spec: QuestionSpec) -> None:
    """Copy what selection reads (objectives, level, fact, given) from ``spec`` to ``question``."""
    question.objectives = list(spec.objectives)
    question.level = spec.level
    question.fact = spec.fact_id
    question.given = list(spec.given)


def add_version(question: Question, spec: QuestionSpec, number: int) -> QuestionVersion:
    """Add version ``number`` of ``question`` and make it the current one."""
    version = QuestionVersion(question_id=question.id, number=number, **version_values(spec))
    db.session.add(version)
    db.session.flush()
    question.current_version_id = version.id
    for name, value in versioned_values(spec).items():
        setattr(question, name, value)
    question.updated_at = utcnow()
    return version


VERSIONED = ("qtype", "topic", "tags", "objectives", "level", "fact", "given")


def versioned_values(spec: QuestionSpec) -> dict[str, Any]:
    """The Question columns a new version of ``spec`` sets (what selection reads)."""
    return {
        "qtype": spec.type,
        "topic": spec.topic,
        "tags": list(spec.tags),
        "objectives": list(spec.objectives),
        "level": spec.level,
        "fact": spec.fact_id,
        "given": list(spec.given),
    }


def insert_versions(updates: Sequence[tuple[int, QuestionSpec]]) -> None:
    """Add a new current version to each (question id, spec), inside the caller's write
    transaction, in a handful of batched statements (``add_version`` flushes per question:
    re-importing 2,000 edited questions held the write lock for ten seconds)."""
    if not updates:
        return
    questions, versions = Question.__table__, QuestionVersion.__table__
    ids = [qid for qid, _ in updates]
    found = db.session.execute(
        select(versions.c.question_id, func.max(versions.c.number))
        .where(versions.c.question_id.in_(ids)).group_by(versions.c.question_id)
    )  # fmt: skip
    numbers = {qid: number for qid, number in found}
    now = utcnow()
    db.session.execute(
        insert(versions),
        [
            {**version_values(spec), "question_id": qid, "number": numbers.get(qid, 0) + 1,
             "created_at": now}
            for qid, spec in updates
        ],
    )  # fmt: skip
    db.session.execute(
        update(questions)
        .where(questions.c.id == bindparam("qid"))
        .values({name: bindparam(f"new_{name}") for name in VERSIONED} | {"updated_at": now}),
        [
            {"qid": qid, **{f"new_{k}": v for k, v in versioned_values(spec).items()}}
            for qid, spec in updates
        ],
    )
    newest = (
        select(versions.c.id)
        .where(versions.c.question_id == questions.c.id)
        .order_by(versions.c.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    db.session.execute(
        update(questions).where(questions.c.id.in_(ids)).values(current_version_id=newest)
    )


def question_values(
    spec: QuestionSpec, origin: str, created_by_id: int | None, status: str = "active"
) -> dict[str, Any]:
    """Return the Question columns of a new question for ``spec`` (live, or a draft)."""
    return {
        "key": spec.key,
        "origin": origin,
        "status": status,
        "topic": spec.topic,
        "qtype": spec.type,
        "template": spec.template,
        "table_id": spec.source.table,
        "tags": list(spec.tags),
        "objectives": list(spec.objectives),
        "level": spec.level,
        "fact": spec.fact_id,
        "given": list(spec.given),
        "source_hash": spec.content_hash(),
        "created_by_id": created_by_id,
    }


def new_question(
    spec: QuestionSpec, origin: str, created_by_id: int | None = None, status: str = "active"
) -> Question:
    """Insert a question with its first version."""
    question = Question(**question_values(spec, origin, created_by_id, status))
    db.session.add(question)
    db.session.flush()
    add_version(question, spec, 1)
    return question


@dataclass(frozen=True)
class NewRows:
    """The rows of new questions and their first versions, built before the write lock."""

    questions: list[dict[str, Any]]
    versions: list[dict[str, Any]]


def new_rows(
    specs: Sequence[QuestionSpec],
    origin_of: Callable[[QuestionSpec], str],
    created_by_id: int | None = None,
    status: str = "active",
) -> NewRows:
    """Build the rows ``insert_new_rows`` writes (hashing and encoding need no lock)."""
    now = utcnow()
    questions = [
        {**question_values(spec, origin_of(spec), created_by_id, status), "created_at": now,
         "updated_at": now}
        for spec in specs
    ]  # fmt: skip
    versions = [{**version_values(spec), "number": 1, "created_at": now} for spec in specs]
    return NewRows(questions, versions)


def insert_new_rows(rows: NewRows) -> None:
    """Insert new questions and their first versions inside the caller's write transaction, as
    two plain executemany INSERTs, one read of the new ids and one UPDATE linking each question
    to its version: thousands of questions hold the lock a fraction of a second (the ORM took
    1.5 ms a question; INSERT ... RETURNING, one statement per row on SQLite)."""
    if not rows.questions:
        return
    questions, versions = Question.__table__, QuestionVersion.__table__
    db.session.execute(insert(questions), rows.questions)
    keys = [row["key"] for row in rows.questions]
    found = db.session.execute(select(questions.c.key, questions.c.id).where(
        questions.c.key.in_(keys)))  # fmt: skip
    ids = {key: qid for key, qid in found}
    db.session.execute(
        insert(versions),
        [{**row, "question_id": ids[key]} for row, key in zip(rows.versions, keys, strict=True)],
    )
    first = (
        select(versions.c.id)
        .where(versions.c.question_id == questions.c.id, versions.c.number == 1)
        .scalar_subquery()
    )
    db.session.execute(
        update(questions).where(questions.c.id.in_(list(ids.values()))).values(
            current_version_id=first)
    )  # fmt: skip


def _sync_questions(specs: Sequence[QuestionSpec], report: SyncReport, origin_of: Any) -> None:
    # Every origin: a bank question may have arrived earlier through an import of an export.
    existing = {q.key: q for q in db.session.scalars(select(Question))}
    numbers: dict[int, int] = dict(
        db.session.execute(
            select(QuestionVersion.question_id, db.func.max(QuestionVersion.number)).group_by(
                QuestionVersion.question_id
            )
        ).all()
    )
    seen: set[str] = set()
    for spec in specs:
        seen.add(spec.key)
        question = existing.get(spec.key)
        if question is None:
            new_question(spec, origin_of(spec))
            report.add("questions added")
            continue
        if question.status == "removed":
            question.status = "active"
            report.add("questions restored")
        if question.source_hash == spec.content_hash():
            report.add("questions unchanged")
            continue
        add_version(question, spec, numbers.get(question.id, 0) + 1)
        question.source_hash = spec.content_hash()
        report.add("questions versioned")
    for key, question in existing.items():
        from_bank = question.origin in ("generated", "authored") and question.created_by_id is None
        if from_bank and key not in seen and question.status != "removed":
            question.status = "removed"
            report.add("questions removed")
