"""Item lint over the active bank, a question file before import, or one authored question."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select

from sinorus_learn.domain.authored import load_authored
from sinorus_learn.domain.bank_stats import BankStats, bank_stats
from sinorus_learn.domain.content import load_lessons, objectives_by_topic
from sinorus_learn.domain.formats import FormatError, JsonFormatError, parse_gift, parse_json
from sinorus_learn.domain.generators import generate_bank
from sinorus_learn.domain.lint import Finding, json_item_lines, lint
from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.domain.tables import load_tables
from sinorus_learn.extensions import db
from sinorus_learn.models import Lesson, Question, QuestionVersion
from sinorus_learn.services.authoring import spec_of
from sinorus_learn.services.content_sync import BANK_SEED
from sinorus_learn.services.transfer import DEFAULT_TOPIC, detect_format, export_specs


class LintFileError(ValueError):
    """A file that cannot be read as questions; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass(frozen=True)
class LintReport:
    """What was linted (``source`` says where it came from) and what was found."""

    source: str
    questions: int
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.level == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def summary(self) -> str:
        return (
            f"{self.questions} question(s) from {self.source}: "
            f"{self.errors} error(s), {self.warnings} warning(s)"
        )


def _migrated() -> bool:
    """Tell whether the database has its tables (a CLI run before ``flask db upgrade``)."""
    return inspect(db.engine).has_table(Question.__tablename__)


def lesson_objectives(bank_dir: Path | None = None) -> dict[str, tuple[str, ...]] | None:
    """Map each topic to its lesson's objective ids: the loaded lessons, else the lesson files
    of ``bank_dir``; None when there are no lessons to check against."""
    rows = db.session.execute(select(Lesson.slug, Lesson.body)).all() if _migrated() else []
    if rows:
        return {
            slug: tuple(o["id"] for o in (body or {}).get("objectives", ())) for slug, body in rows
        }
    if bank_dir is None:
        return None
    return objectives_by_topic(load_lessons(bank_dir / "lessons"))


def active_bank(bank_dir: Path) -> tuple[list[QuestionSpec], str]:
    """Return the active questions in the database and where they came from; with none
    loaded, the bank's own files.

    Falling back to the files lets an editor check before the first ``flask content load``
    (which refuses an unclassified bank); AuthoredError or TableError propagate.
    """
    specs = export_specs() if _migrated() else []
    if specs:
        return specs, "the active bank (database)"
    specs = generate_bank(load_tables(bank_dir / "tables"), seed=BANK_SEED)
    specs += load_authored(bank_dir / "questions")
    return specs, f"{bank_dir} (the database holds no active questions)"


def lint_active_bank(bank_dir: Path) -> LintReport:
    """Lint the active questions in the database; with none loaded, the bank's own files."""
    objectives = lesson_objectives(bank_dir)
    specs, source = active_bank(bank_dir)
    return LintReport(source, len(specs), lint(specs, objectives=objectives))


def active_bank_stats(bank_dir: Path) -> tuple[BankStats, str]:
    """Count the active bank per topic, level, type and objective (``flask questions stats``)."""
    specs, source = active_bank(bank_dir)
    return bank_stats(specs, lesson_objectives(bank_dir) or {}), source


def lint_file(text: str, filename: str, bank_dir: Path | None = None) -> LintReport:
    """Lint a GIFT or JSON question file, as a whole, before it is imported."""
    fmt = detect_format(text, filename)
    try:
        if fmt == "json":
            parsed = parse_json(text)
            specs: list[QuestionSpec] = list(parsed)
            lines = dict(zip((s.key for s in specs), json_item_lines(text), strict=False))
        else:
            gift = parse_gift(text, DEFAULT_TOPIC)
            specs = [item.spec for item in gift.questions]
            lines = {item.spec.key: item.line for item in gift.questions}
    except JsonFormatError as exc:
        starts = json_item_lines(text)
        index = exc.index
        line = exc.line or (starts[index] if index is not None and index < len(starts) else None)
        raise LintFileError(exc.message, line) from exc
    except FormatError as exc:
        raise LintFileError(exc.message, exc.line) from exc
    findings = lint(specs, scope="file", lines=lines, objectives=lesson_objectives(bank_dir))
    return LintReport(f"{filename} ({fmt.upper()})", len(specs), findings)


def lint_question(question: Question, version: QuestionVersion) -> list[Finding]:
    """Lint one stored version as the authoring preview shows it (no group rules apply)."""
    return lint([spec_of(question, version)], objectives=lesson_objectives())
