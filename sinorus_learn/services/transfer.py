"""Import and export question files (GIFT and JSON): all-or-nothing, keyed, never duplicating."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from sinorus_learn.database import begin_write
from sinorus_learn.domain.formats import (
    FormatError,
    dump_gift,
    dump_json,
    export_gift,
    parse_gift,
    parse_json,
)
from sinorus_learn.domain.questions import TOPICS, QuestionSpec, spec_problems
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.services.authoring import save_version, spec_of
from sinorus_learn.services.content_sync import new_question

FORMATS = ("json", "gift")
DEFAULT_TOPIC = "overview"


class TransferError(ValueError):
    """A file that cannot be imported; nothing was written. ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        where = f"line {line}: " if line else ""
        super().__init__(f"{where}{message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Skipped:
    name: str
    kind: str
    line: int
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import added, versioned and left alone (or would, for a dry run)."""

    format: str
    dry_run: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would be " if self.dry_run else ""
        result = [
            f"{len(self.added)} question(s) {verb}added",
            f"{len(self.updated)} question(s) {verb}updated (new version)",
            f"{len(self.unchanged)} question(s) unchanged",
        ]
        for item in self.skipped:
            result.append(f"skipped {item.kind} “{item.name}” (line {item.line}): {item.reason}")
        return result


@dataclass(frozen=True)
class ExportResult:
    text: str
    count: int
    filename: str
    mimetype: str
    skipped: tuple[str, ...] = ()  # keys the format cannot express


def detect_format(text: str, filename: str = "") -> str:
    """Tell JSON from GIFT by the file's extension, else by its first character."""
    name = filename.lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith((".gift", ".txt")):
        return "gift"
    return "json" if text.lstrip()[:1] in ("[", "{") else "gift"


def _parse(
    text: str, fmt: str, default_topic: str
) -> tuple[list[tuple[QuestionSpec, int | None]], list[Skipped]]:
    try:
        if fmt == "json":
            return [(spec, None) for spec in parse_json(text)], []
        parsed = parse_gift(text, default_topic)
    except FormatError as exc:
        raise TransferError(exc.message, exc.line) from exc
    skipped = [Skipped(s.name, s.kind, s.line, s.reason) for s in parsed.skipped]
    return [(item.spec, item.line) for item in parsed.questions], skipped


def _check(specs: list[tuple[QuestionSpec, int | None]]) -> None:
    """Stop at the first question that breaks a rule, naming its line (or position)."""
    seen: dict[str, int] = {}
    for index, (spec, line) in enumerate(specs, start=1):
        where = line or None
        label = "" if line else f"question {index}: "
        if not spec.key:
            raise TransferError(f"{label}expected a question key", where)
        if spec.key in seen:
            raise TransferError(f"{label}key {spec.key!r} appears twice in the file", where)
        seen[spec.key] = index
        too_long = [
            name
            for name, value, limit in (
                ("key", spec.key, 255),
                ("template", spec.template or "", 120),
                ("source table", spec.source.table or "", 60),
            )
            if len(value) > limit
        ]
        if too_long:
            raise TransferError(f"{label}the {too_long[0]} is too long", where)
        if spec.topic not in TOPICS:
            raise TransferError(
                f"{label}unknown topic {spec.topic!r}; expected one of {', '.join(TOPICS)}", where
            )
        problems = spec_problems(spec)
        if problems:
            raise TransferError(f"{label}{spec.key}: {'; '.join(problems)}", where)


def import_questions(
    text: str,
    filename: str = "",
    dry_run: bool = False,
    user_id: int | None = None,
    default_topic: str = DEFAULT_TOPIC,
) -> ImportReport:
    """Import every question of a file or none; a known key gets a new version if it changed."""
    fmt = detect_format(text, filename)
    specs, skipped = _parse(text, fmt, default_topic)
    _check(specs)
    report = ImportReport(format=fmt, dry_run=dry_run, skipped=skipped)
    begin_write()
    keys = [spec.key for spec, _ in specs]
    existing = (
        {
            q.key: (q, v)
            for q, v in db.session.execute(
                select(Question, QuestionVersion)
                .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
                .where(Question.key.in_(keys))
            )
        }
        if keys
        else {}
    )
    for spec, _line in specs:
        found = existing.get(spec.key)
        if found is None:
            report.added.append(spec.key)
            if not dry_run:
                # Generated questions keep their origin, so a later content load recognises them.
                new_question(spec, "generated" if spec.template else "imported", user_id)
        elif _same(found, spec, fmt):
            report.unchanged.append(spec.key)
        else:
            report.updated.append(spec.key)
            if not dry_run:
                save_version(found[0], spec)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def _same(found: tuple[Question, QuestionVersion], spec: QuestionSpec, fmt: str) -> bool:
    """Tell whether an imported spec says nothing new about the stored question.

    GIFT cannot carry units, difficulty, provenance or tags, so a GIFT import is compared with
    what GIFT can say about the stored version, not with everything the bank knows.
    """
    if found[1].content_hash == spec.content_hash():
        return True
    if fmt != "gift":
        return False
    stored = parse_gift(dump_gift([spec_of(found[0], found[1])]), spec.topic).questions
    return bool(stored) and stored[0].spec.content_hash() == spec.content_hash()


def export_specs(topic: str | None = None, origin: str | None = None) -> list[QuestionSpec]:
    """Return the active bank's questions (current versions), optionally by topic and origin."""
    query = (
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.status == "active")
        .order_by(Question.key)
    )
    if topic:
        query = query.where(Question.topic == topic)
    if origin:
        query = query.where(Question.origin == origin)
    return [spec_of(q, v) for q, v in db.session.execute(query)]


def export_questions(fmt: str, topic: str | None = None, origin: str | None = None) -> ExportResult:
    """Write the active bank as JSON (QuestionSpec.to_dict shape) or GIFT."""
    if fmt not in FORMATS:
        raise TransferError(f"unknown format {fmt!r}; expected json or gift")
    specs = export_specs(topic, origin)
    if fmt == "json":
        return ExportResult(dump_json(specs), len(specs), "questions.json", "application/json")
    gift = export_gift(specs)
    return ExportResult(
        gift.text, len(specs) - len(gift.skipped), "questions.gift", "text/plain", gift.skipped
    )
