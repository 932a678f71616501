"""Import and export question files (GIFT and JSON): all-or-nothing, keyed, never duplicating."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from sinorus_learn.database import write
from sinorus_learn.domain.formats import (
    FormatError,
    SkippedQuestion,
    dump_gift,
    dump_json,
    export_gift,
    parse_gift,
    parse_json,
)
from sinorus_learn.domain.questions import (
    LEVELS,
    TOPICS,
    QuestionSpec,
    classification_problems,
    spec_problems,
)
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.services.authoring import changes_learner_view, save_version, spec_of
from sinorus_learn.services.content_sync import (
    NewRows,
    insert_new_rows,
    insert_versions,
    new_rows,
)

FORMATS = ("json", "gift")
DEFAULT_TOPIC = "overview"
MAX_QUESTIONS = 2000  # per file; the IMPORT_MAX_QUESTIONS setting
MAX_BYTES = 1024 * 1024  # per file; the IMPORT_MAX_BYTES setting
PROGRESS_EVERY = 100  # questions checked between two progress reports
NO_CATEGORY = ""  # the mapping's name for GIFT questions above any $CATEGORY line

Progress = Callable[[int, int], None]  # (questions checked, questions in the file)


def size_text(limit: int) -> str:
    """Say a byte limit the way people do: 1 MB, 512 KB."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    return f"{max(1, limit // 1024)} KB"


@dataclass(frozen=True)
class ImportDefaults:
    """What a question that carries no classification (a foreign file's) is given: a level,
    and objectives of ``topic``'s lesson (only for questions of that topic)."""

    topic: str = DEFAULT_TOPIC
    level: str = ""
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Entry:
    """One question read from a file, with where to point an error about it."""

    spec: QuestionSpec
    line: int | None  # GIFT: the question's first line; JSON: None (named by position)
    field_lines: Mapping[str, int] = field(default_factory=dict)  # GIFT annotation lines

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.line)


@dataclass(frozen=True)
class ImportReport:
    """What an import added, versioned and left alone (or would, for a dry run)."""

    format: str
    dry_run: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)
    publish: bool = False  # new questions went in live, not as drafts

    def lines(self) -> list[str]:
        verb = "would be " if self.dry_run else ""
        how = "" if self.publish else " as drafts"
        result = [
            f"{len(self.added)} question(s) {verb}added{how}",
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
    text: str,
    fmt: str,
    default_topic: str,
    category_topics: Mapping[str, str] | None = None,
    category_objectives: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[_Entry], list[SkippedQuestion]]:
    """Read the file; a GIFT question of a category in ``category_topics`` goes to its topic,
    and, if it carries no objectives, takes its category's ``category_objectives``."""
    if fmt == "json":
        return [_Entry(spec, None) for spec in parse_json(text)], []
    parsed = parse_gift(text, default_topic)
    skipped = list(parsed.skipped)
    mapping, chosen = category_topics or {}, category_objectives or {}
    entries = []
    for item in parsed.questions:
        category = item.category or NO_CATEGORY
        spec, topic = item.spec, mapping.get(category)
        if topic and topic != spec.topic:
            spec = replace(spec, topic=topic, source=replace(spec.source, section=topic))
        if not spec.objectives and chosen.get(category):
            spec = replace(spec, objectives=tuple(chosen[category]))
        entries.append(_Entry(spec, item.line, dict(item.annotation_lines)))
    return entries, skipped


@dataclass(frozen=True)
class Group:
    """Questions of a file that share a GIFT category (JSON: a topic), and the topic they go
    to unless the instructor maps them elsewhere."""

    name: str  # the category ("" for none); for JSON, the topic the file gives
    count: int
    topic: str
    mappable: bool  # GIFT categories may be mapped; a JSON file's topics are its own


@dataclass(frozen=True)
class FileSummary:
    """What a file holds, before anything is checked against the bank."""

    format: str
    questions: int
    skipped: list[SkippedQuestion]
    groups: list[Group]


def summarise(
    text: str, filename: str = "", default_topic: str = DEFAULT_TOPIC, max_questions: int = 0
) -> FileSummary:
    """Parse a file (all of it, or a FormatError at its first syntax error) and count its
    questions per GIFT category, each with the topic its name suggests (else the default)."""
    if default_topic not in TOPICS:
        raise FormatError(f"unknown topic {default_topic!r}; expected one of {', '.join(TOPICS)}")
    fmt = detect_format(text, filename)
    if fmt == "json":
        specs = parse_json(text)
        named = [(spec.topic, spec.topic) for spec in specs]
        skipped: list[SkippedQuestion] = []
    else:
        parsed = parse_gift(text, default_topic)
        named = [(q.category or NO_CATEGORY, q.spec.topic) for q in parsed.questions]
        skipped = list(parsed.skipped)
    _check_count(len(named), max_questions)
    counts: dict[str, int] = {}
    topics: dict[str, str] = {}
    for name, topic in named:
        counts[name] = counts.get(name, 0) + 1
        topics.setdefault(name, topic)
    groups = [Group(name, n, topics[name], fmt == "gift") for name, n in counts.items()]
    return FileSummary(fmt, len(named), skipped, groups)


def category_mapping(summary: FileSummary, chosen: Mapping[str, str]) -> dict[str, str]:
    """Each GIFT category's topic: the instructor's choice, else the one its name suggests;
    a FormatError for a category the file does not have or a topic that does not exist."""
    names = {group.name for group in summary.groups if group.mappable}
    for name, topic in chosen.items():
        if name not in names:
            known = ", ".join(repr(n) for n in sorted(names)) or "none"
            raise FormatError(f"the file has no category {name!r} (its categories: {known})")
        if topic not in TOPICS:
            raise FormatError(
                f"unknown topic {topic!r} for category {name or '(none)'!r}; expected one of "
                f"{', '.join(TOPICS)}"
            )
    return {g.name: chosen.get(g.name, g.topic) for g in summary.groups if g.mappable}


def check_category_objectives(
    mapping: Mapping[str, str],
    chosen: Mapping[str, Sequence[str]],
    objectives: Mapping[str, Sequence[str]],
) -> dict[str, tuple[str, ...]]:
    """Check the objectives chosen per category: each must be one of its topic's lesson
    (``objectives`` maps topics to their lesson's objective ids)."""
    result: dict[str, tuple[str, ...]] = {}
    for name, ids in chosen.items():
        if name not in mapping:
            raise FormatError(f"the file has no category {name!r}")
        topic = mapping[name]
        for objective in ids:
            if objective not in objectives.get(topic, ()):
                raise FormatError(
                    f"objective {objective!r} chosen for category {name or '(none)'!r} is not "
                    f"an objective of its topic {topic!r} ({', '.join(objectives.get(topic, ()))})"
                )
        if ids:
            result[name] = tuple(dict.fromkeys(ids))
    return result


def _check_count(count: int, max_questions: int) -> None:
    if max_questions and count > max_questions:
        raise FormatError(
            f"the file has {count} questions; at most {max_questions} can be imported "
            "at once (split the file)"
        )


def check_defaults(defaults: ImportDefaults, objectives: Mapping[str, Sequence[str]]) -> None:
    """Refuse defaults that could not classify anything: an unknown level or topic, or an
    objective that is not of the chosen topic's lesson."""
    if defaults.topic not in TOPICS:
        raise FormatError(f"unknown topic {defaults.topic!r}; expected one of {', '.join(TOPICS)}")
    if defaults.level and defaults.level not in LEVELS:
        raise FormatError(
            f"unknown default level {defaults.level!r}; expected one of {', '.join(LEVELS)}"
        )
    known = objectives.get(defaults.topic, ())
    for objective in defaults.objectives:
        if objective not in known:
            raise FormatError(
                f"default objective {objective!r} is not an objective of topic {defaults.topic!r} "
                f"({', '.join(known)})"
            )


def _with_defaults(spec: QuestionSpec, defaults: ImportDefaults) -> QuestionSpec:
    """Give a question that carries no level or objectives the chosen defaults."""
    level = spec.level or defaults.level
    objectives = spec.objectives
    if not objectives and spec.topic == defaults.topic:
        objectives = defaults.objectives
    if (level, objectives) == (spec.level, spec.objectives):
        return spec
    return replace(spec, level=level, objectives=objectives)


def _classify(
    entry: _Entry,
    label: str,
    fmt: str,
    defaults: ImportDefaults,
    objectives: Mapping[str, Sequence[str]],
) -> None:
    """Refuse a question without a level or objectives, or with objectives of another lesson,
    saying what to add to the file or which default to choose."""
    spec = entry.spec
    known = tuple(objectives.get(spec.topic, ()))
    where = f"{label}{spec.key}: "
    if not spec.level:
        how = "a '// @level <level>' line above it" if fmt == "gift" else 'a "level" field'
        raise FormatError(
            f"{where}no level; add {how} or choose a default level for questions that carry "
            f"none ({', '.join(LEVELS)})",
            entry.line,
            missing=("level",),
        )
    if not spec.objectives:
        how = "a '// @objectives <id>, ...' line" if fmt == "gift" else 'an "objectives" list'
        if spec.topic == defaults.topic:
            choose = f"or choose default objectives of topic {spec.topic!r}"
        else:
            choose = (
                "or choose objectives for its category (default objectives apply only to "
                f"questions of the chosen topic, {defaults.topic!r})"
            )
        raise FormatError(
            f"{where}no objectives; add {how} naming objectives of topic {spec.topic!r} "
            f"({', '.join(known)}) {choose}",
            entry.line,
            missing=("objectives",),
        )
    unknown = [o for o in spec.objectives if o not in known]
    if unknown:
        raise FormatError(
            f"{where}objective {unknown[0]!r} is not an objective of topic {spec.topic!r} "
            f"({', '.join(known)})",
            entry.line_of("objectives"),
        )
    problems = classification_problems(spec, objectives)
    if problems:  # nothing the checks above missed, but the domain rule is the last word
        raise FormatError(f"{where}{'; '.join(problems)}", entry.line)


def _check(
    entries: list[_Entry],
    fmt: str,
    defaults: ImportDefaults,
    objectives: Mapping[str, Sequence[str]],
    progress: Progress | None = None,
) -> None:
    """Stop at the first question that breaks a rule, naming its line (or position)."""
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, len(entries))
        spec, line = entry.spec, entry.line
        where = line or None
        label = "" if line else f"question {index}: "
        if not spec.key:
            raise FormatError(f"{label}expected a question key", where)
        if spec.key in seen:
            raise FormatError(f"{label}key {spec.key!r} appears twice in the file", where)
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
            raise FormatError(f"{label}the {too_long[0]} is too long", where)
        if spec.topic not in TOPICS:
            raise FormatError(
                f"{label}unknown topic {spec.topic!r}; expected one of {', '.join(TOPICS)}", where
            )
        problems = spec_problems(spec)
        if problems:
            raise FormatError(f"{label}{spec.key}: {'; '.join(problems)}", where)
        _classify(entry, label, fmt, defaults, objectives)


def import_questions(
    text: str,
    filename: str = "",
    *,
    objectives: Mapping[str, Sequence[str]],
    dry_run: bool = False,
    user_id: int | None = None,
    default_topic: str = DEFAULT_TOPIC,
    default_level: str = "",
    default_objectives: Sequence[str] = (),
    max_questions: int = MAX_QUESTIONS,
    publish: bool = False,
    category_topics: Mapping[str, str] | None = None,
    category_objectives: Mapping[str, Sequence[str]] | None = None,
    progress: Progress | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import every question of a file or none; a known key gets a new version if it changed.

    New questions land as drafts (no quiz draws on them until an instructor publishes them),
    or live with ``publish``; a question already in the bank keeps its status. A GIFT
    question of a category named in ``category_topics`` is filed under that topic (the key
    ``NO_CATEGORY`` stands for questions above any $CATEGORY line) and, when it carries no
    objectives, takes that category's ``category_objectives``. ``progress`` hears how
    many questions are checked; ``before_commit`` runs inside the write transaction with the
    report, so what it writes stands or falls with the questions.

    The file is parsed, checked and compared with the bank before the write lock is taken;
    under it, new questions go in as a few batched statements, so a class answering at the
    same time waits a fraction of a second, not the length of the import. A file of more than
    ``max_questions`` is refused.

    Each question must carry a level and objectives of its topic's lesson; one that carries
    none (a foreign file's) takes ``default_level`` and, if of ``default_topic``,
    ``default_objectives``. ``objectives`` maps topics to their lesson's objective ids.
    """
    defaults = ImportDefaults(default_topic, default_level, tuple(default_objectives))
    check_defaults(defaults, objectives)
    fmt = detect_format(text, filename)
    entries, skipped = _parse(text, fmt, default_topic, category_topics, category_objectives)
    _check_count(len(entries), max_questions)
    entries = [replace(e, spec=_with_defaults(e.spec, defaults)) for e in entries]
    _check(entries, fmt, defaults, objectives, progress)
    specs = [entry.spec for entry in entries]
    keys = [spec.key for spec in specs]
    found = _existing(keys)
    plan = _plan(specs, found, fmt)
    if progress is not None:
        progress(len(entries), len(entries))
    if dry_run:
        db.session.rollback()
        return _report(fmt, True, skipped, plan, publish)
    status = "active" if publish else "draft"
    rows = _new_rows(plan, user_id, status)
    with write():
        if _versions_now(keys) != {key: pair[1].id for key, pair in found.items()}:
            found = _existing(keys)  # changed since it was read (another import, an edit)
            plan = _plan(specs, found, fmt)
            rows = _new_rows(plan, user_id, status)
        insert_new_rows(rows)
        for spec, outcome in plan:
            if outcome == "reclassified":  # filed differently: no new version, no flush
                save_version(found[spec.key][0], spec)
        insert_versions(
            [(found[spec.key][0].id, spec) for spec, outcome in plan if outcome == "versioned"]
        )
        report = _report(fmt, False, skipped, plan, publish)
        if before_commit is not None:
            before_commit(report)
        return report


def _new_rows(plan: list[tuple[QuestionSpec, str]], user_id: int | None, status: str) -> NewRows:
    added = [spec for spec, outcome in plan if outcome == "added"]
    # Generated questions keep their origin, so a later content load recognises them.
    return new_rows(
        added, lambda spec: "generated" if spec.template else "imported", user_id, status
    )


def _existing(keys: list[str]) -> dict[str, tuple[Question, QuestionVersion]]:
    """The stored questions with these keys, each with its current version."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.key.in_(keys))
    )
    return {row.Question.key: (row.Question, row.QuestionVersion) for row in rows}


def _versions_now(keys: list[str]) -> dict[str, int | None]:
    if not keys:
        return {}
    rows = db.session.execute(
        select(Question.key, Question.current_version_id).where(Question.key.in_(keys))
    )
    return {row.key: row.current_version_id for row in rows}


def _plan(
    specs: list[QuestionSpec], found: dict[str, tuple[Question, QuestionVersion]], fmt: str
) -> list[tuple[QuestionSpec, str]]:
    """Say of each question whether it is added, versioned (what learners see changed),
    reclassified (only what it is filed under changed) or unchanged."""
    plan = []
    for spec in specs:
        stored = found.get(spec.key)
        if stored is None:
            outcome = "added"
        elif _same(stored, spec, fmt):
            outcome = "unchanged"
        elif changes_learner_view(*stored, spec):
            outcome = "versioned"
        else:
            outcome = "reclassified"
        plan.append((spec, outcome))
    return plan


def _report(
    fmt: str,
    dry_run: bool,
    skipped: list[SkippedQuestion],
    plan: list[tuple[QuestionSpec, str]],
    publish: bool,
) -> ImportReport:
    report = ImportReport(format=fmt, dry_run=dry_run, skipped=skipped, publish=publish)
    lists = {
        "added": report.added,
        "versioned": report.updated,
        "reclassified": report.updated,
        "unchanged": report.unchanged,
    }
    for spec, outcome in plan:
        lists[outcome].append(spec.key)
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
    return [spec_of(row.Question, row.QuestionVersion) for row in db.session.execute(query)]


def export_questions(fmt: str, topic: str | None = None, origin: str | None = None) -> ExportResult:
    """Write the active bank as JSON (QuestionSpec.to_dict shape) or GIFT."""
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; expected json or gift")
    specs = export_specs(topic, origin)
    if fmt == "json":
        return ExportResult(dump_json(specs), len(specs), "questions.json", "application/json")
    gift = export_gift(specs)
    return ExportResult(
        gift.text, len(specs) - len(gift.skipped), "questions.gift", "text/plain", gift.skipped
    )
