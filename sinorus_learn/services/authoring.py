"""Instructors' question authoring: build a spec from form values, create, edit, retire, preview."""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select, update

from sinorus_learn.database import begin_write, utcnow
from sinorus_learn.domain import grading, presentation
from sinorus_learn.domain.evidence import ReportText, evidence_problems
from sinorus_learn.domain.questions import (
    LEVELS,
    TOPICS,
    NumericAnswer,
    QuestionSpec,
    Source,
    answer_from_json,
    spec_problems,
)
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.services import catalogue
from sinorus_learn.services.content_sync import add_version, classify, new_question

# Which form field each rule of ``spec_problems`` is about (the first matching prefix wins).
PROBLEM_FIELDS: tuple[tuple[str, str], ...] = (
    ("the prompt", "prompt"),
    ("difficulty", "difficulty"),
    ("at least two pairs", "pairs"),
    ("each left-hand", "pairs"),
    ("every right-hand", "pairs"),
    ("at least two choices", "choices"),
    ("choices must be distinct", "choices"),
    ("the correct order", "choices"),
    ("the correct answer", "correct"),
    ("every correct answer", "correct"),
    ("at least one choice must be correct", "correct"),
    ("the tolerance", "tolerance"),
    ("a numeric answer", "numeric_value"),
    ("at least one accepted", "correct"),
    ("a true/false", "true_false"),
    ("level must", "level"),
    ("a question cannot state its own fact", "given"),
    ("option feedback", "option_feedback"),
    ("text format", "text_format"),
)
CHOICE_TYPES = ("multiple_choice", "multiple_select")


class AuthoringError(ValueError):
    """Form values that do not make a valid question; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


@dataclass(frozen=True)
class QuestionInput:
    """What an instructor typed into the question form, as plain values."""

    qtype: str
    prompt: str
    topic: str
    difficulty: int = 1
    explanation: str = ""
    tags: str = ""
    choices: str = ""  # one per line
    correct: str = ""  # one per line (multiple choice: one line)
    true_false: str = "true"
    numeric_value: float | None = None
    tolerance: float | None = None
    unit: str = ""
    pairs: str = ""  # "left = right" per line
    source_table: str = ""
    source_rows: str = ""
    footnotes: str = ""
    objectives: tuple[str, ...] = ()  # ids of the topic's lesson objectives
    level: str = ""
    fact: str = ""  # what it asks; empty: a fact of its own
    given: str = ""  # fact ids its stem states, by commas
    evidence: str = ""  # the report's words behind the key, verbatim
    option_feedback: str = ""  # "wrong option = feedback" per line
    text_format: str = "markdown"  # how prompt and explanation are written (TEXT_FORMATS)


@dataclass(frozen=True)
class SaveResult:
    question_id: int
    version: int
    changed: bool


@dataclass(frozen=True)
class PreviewItem:
    """Stand-in for an attempt item: the layout the preview shows."""

    presented: dict[str, Any]


@dataclass(frozen=True)
class Preview:
    question: Question
    version: QuestionVersion
    item: PreviewItem
    grade: Any = None
    response: Any = None
    error: str | None = None
    history: list[QuestionVersion] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _csv(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _error(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _answer(data: QuestionInput, errors: dict[str, list[str]]) -> tuple[Any, Any]:
    """Return (choices, answer) for the question type, noting missing parts in ``errors``."""
    choices = _lines(data.choices)
    correct = _lines(data.correct)
    qtype = data.qtype
    if qtype == "multiple_choice":
        if not correct:
            errors.setdefault("correct", []).append("Give the correct answer.")
        elif len(correct) > 1:
            errors.setdefault("correct", []).append("A multiple-choice question has one answer.")
        elif correct[0] not in choices:
            _error(errors, "correct", "The correct answer must be one of the choices.")
        return tuple(choices), (correct[0] if correct else "")
    if qtype == "multiple_select":
        if not correct:
            errors.setdefault("correct", []).append("Mark at least one choice as correct.")
        missing = [c for c in correct if c not in choices]
        if missing:
            errors.setdefault("correct", []).append(
                "Every correct answer must be one of the choices (not: " + ", ".join(missing) + ")."
            )
        return tuple(choices), tuple(correct)
    if qtype == "true_false":
        return None, data.true_false == "true"
    if qtype == "numeric":
        if data.numeric_value is None:
            errors.setdefault("numeric_value", []).append("Give the numeric answer.")
        return None, NumericAnswer(
            value=data.numeric_value or 0.0, tolerance=data.tolerance or 0.0, unit=data.unit.strip()
        )
    if qtype == "short_text":
        return None, tuple(correct)
    if qtype == "ordering":
        if len(choices) < 2:
            errors.setdefault("choices", []).append("List at least two items to order.")
        return tuple(choices), tuple(choices)
    if qtype == "matching":
        return _matching(data, choices, errors)
    errors.setdefault("qtype", []).append("Choose a question type.")
    return None, ""


def _matching(
    data: QuestionInput, distractors: list[str], errors: dict[str, list[str]]
) -> tuple[Any, Any]:
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(_lines(data.pairs), start=1):
        left, sep, right = line.partition("=")
        if not sep or not left.strip() or not right.strip():
            errors.setdefault("pairs", []).append(f"Line {number}: write a pair as “left = right”.")
            continue
        pairs.append((left.strip(), right.strip()))
    options = list(dict.fromkeys([right for _, right in pairs] + distractors))
    return tuple(options), tuple(pairs)


def _source(data: QuestionInput, errors: dict[str, list[str]]) -> Source:
    footnotes: list[int] = []
    for part in _csv(data.footnotes):
        if not part.isdigit():
            errors.setdefault("footnotes", []).append("Footnotes are numbers separated by commas.")
            break
        footnotes.append(int(part))
    table = data.source_table.strip() or None
    rows = tuple(_csv(data.source_rows))
    if rows and not table:
        errors.setdefault("source_rows", []).append("Choose the table these rows belong to.")
    return Source(section=data.topic, table=table, rows=rows, footnotes=tuple(footnotes))


def _option_feedback(
    data: QuestionInput, choices: Any, answer: Any, errors: dict[str, list[str]]
) -> tuple[tuple[str, str], ...]:
    """Read "wrong option = feedback" lines; each must name a wrong choice, once."""
    lines = _lines(data.option_feedback)
    if not lines:
        return ()
    if data.qtype not in CHOICE_TYPES:
        _error(
            errors,
            "option_feedback",
            "Per-option feedback is for multiple-choice and multiple-select questions.",
        )
        return ()
    correct = {answer} if data.qtype == "multiple_choice" else set(answer)
    pairs: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        option, sep, text = (part.strip() for part in line.partition("="))
        if not sep or not option or not text:
            _error(errors, "option_feedback", f"Line {number}: write “wrong option = feedback”.")
        elif option not in (choices or ()):
            _error(errors, "option_feedback", f"Line {number}: “{option}” is not a choice.")
        elif option in correct:
            _error(
                errors,
                "option_feedback",
                f"Line {number}: “{option}” is a correct answer; feedback here is for the "
                "wrong options a learner may pick.",
            )
        elif option in pairs:
            _error(errors, "option_feedback", f"Line {number}: “{option}” has feedback already.")
        else:
            pairs[option] = text
    return tuple(pairs.items())


def _classification(
    data: QuestionInput,
    objectives: Mapping[str, Collection[str]],
    report: ReportText | None,
    errors: dict[str, list[str]],
) -> None:
    """Note a missing level, objectives not of the topic's lesson, and evidence that is not
    the report's own words."""
    if data.level not in LEVELS:
        _error(errors, "level", "Choose the level the question asks for.")
    known = objectives.get(data.topic, ())
    if not data.objectives:
        _error(errors, "objectives", "Choose at least one objective of the topic's lesson.")
    for objective in data.objectives:
        if data.topic in TOPICS and objective not in known:
            _error(
                errors,
                "objectives",
                f"“{objective}” is not an objective of the {TOPICS[data.topic]} lesson; "
                "choose the topic's own.",
            )
    if report is not None and data.evidence.strip():
        for problem in evidence_problems(data.evidence.strip(), report):
            _error(errors, "evidence", problem[0].upper() + problem[1:] + ".")


def build_spec(
    data: QuestionInput,
    key: str,
    template: str | None = None,
    objectives: Mapping[str, Collection[str]] | None = None,
    report: ReportText | None = None,
) -> QuestionSpec:
    """Turn form values into a spec; raise AuthoringError with messages per field.

    ``objectives`` maps topics to their lesson's objective ids and ``report`` is the text
    evidence is checked against (default: the bank's lessons and report).
    """
    errors: dict[str, list[str]] = {}
    if objectives is None:
        objectives = catalogue.objective_ids()
    if report is None:
        report = catalogue.report_text()
    _classification(data, objectives, report, errors)
    if data.topic not in TOPICS:
        errors.setdefault("topic", []).append("Choose a topic.")
    for name in ("numeric_value", "tolerance"):
        value = getattr(data, name)
        if value is not None and not math.isfinite(value):
            _error(errors, name, "Give a finite number.")
    if data.tolerance is not None and data.tolerance < 0:
        errors.setdefault("tolerance", []).append("The tolerance cannot be below zero.")
    choices, answer = _answer(data, errors)
    spec = QuestionSpec(
        key=key,
        type=data.qtype,  # type: ignore[arg-type]
        prompt=data.prompt.strip(),
        choices=choices,
        answer=answer,
        explanation=data.explanation.strip(),
        topic=data.topic,
        difficulty=data.difficulty,
        source=_source(data, errors),
        template=template,
        tags=tuple(dict.fromkeys(_csv(data.tags))),
        objectives=tuple(dict.fromkeys(data.objectives)),
        level=data.level,
        fact=data.fact.strip(),
        given=tuple(dict.fromkeys(_csv(data.given))),
        evidence=data.evidence.replace("\r\n", "\n").strip(),
        option_feedback=_option_feedback(data, choices, answer, errors),
        text_format=data.text_format,
    )
    flagged = set(errors)  # fields with a message already: the spec's own rule would repeat it
    for problem in spec_problems(spec):
        name = next((f for prefix, f in PROBLEM_FIELDS if problem.startswith(prefix)), "prompt")
        if data.qtype == "matching" and name == "choices":
            name = "pairs"
        if name not in flagged:
            errors.setdefault(name, []).append(problem[0].upper() + problem[1:] + ".")
    if errors:
        raise AuthoringError(errors)
    return spec


def spec_of(question: Question, version: QuestionVersion) -> QuestionSpec:
    """Rebuild the spec of one stored version of ``question``."""
    return QuestionSpec(
        key=question.key,
        type=version.qtype,  # type: ignore[arg-type]
        prompt=version.prompt,
        choices=tuple(version.choices) if version.choices is not None else None,
        answer=answer_from_json(version.qtype, version.answer),
        explanation=version.explanation,
        topic=question.topic,
        difficulty=version.difficulty,
        source=Source.from_dict(version.source or {}),
        template=question.template,
        tags=tuple(question.tags or ()),
        objectives=tuple(question.objectives or ()),
        level=question.level or "",
        # The row stores the effective fact; the spec says "" when it is the question's own.
        fact="" if question.fact in ("", question.key) else question.fact,
        given=tuple(question.given or ()),
        evidence=version.evidence or "",
        option_feedback=tuple((o, t) for o, t in version.option_feedback or ()),
        text_format=version.text_format or "markdown",
    )


def input_of(spec: QuestionSpec) -> QuestionInput:
    """Return form values that rebuild ``spec`` (to pre-fill the edit form)."""
    answer: Any = spec.answer
    values: dict[str, Any] = {}
    if spec.type in ("multiple_choice", "multiple_select"):
        values["choices"] = "\n".join(spec.choices or ())
        values["correct"] = answer if spec.type == "multiple_choice" else "\n".join(answer)
    elif spec.type == "ordering":
        values["choices"] = "\n".join(answer)
    elif spec.type == "short_text":
        values["correct"] = "\n".join(answer)
    elif spec.type == "true_false":
        values["true_false"] = "true" if answer else "false"
    elif spec.type == "numeric":
        values.update(numeric_value=answer.value, tolerance=answer.tolerance, unit=answer.unit)
    elif spec.type == "matching":
        values["pairs"] = "\n".join(f"{left} = {right}" for left, right in answer)
        rights = {right for _, right in answer}
        values["choices"] = "\n".join(c for c in spec.choices or () if c not in rights)
    return QuestionInput(
        qtype=spec.type,
        prompt=spec.prompt,
        topic=spec.topic,
        difficulty=spec.difficulty,
        explanation=spec.explanation,
        tags=", ".join(spec.tags),
        source_table=spec.source.table or "",
        source_rows=", ".join(spec.source.rows),
        footnotes=", ".join(str(n) for n in spec.source.footnotes),
        objectives=spec.objectives,
        level=spec.level,
        fact=spec.fact,
        given=", ".join(spec.given),
        evidence=spec.evidence,
        option_feedback="\n".join(f"{option} = {text}" for option, text in spec.option_feedback),
        text_format=spec.text_format,
        **values,
    )


def new_key(topic: str) -> str:
    """Return a fresh, stable key for a hand-written question."""
    return f"authored/{topic}/{secrets.token_hex(5)}"


def create_question(data: QuestionInput, user_id: int, draft: bool = False) -> SaveResult:
    """Validate and store a new authored question, live or as a draft; return its id."""
    spec = build_spec(data, new_key(data.topic))
    begin_write()
    status = "draft" if draft else "active"
    question = new_question(spec, "authored", created_by_id=user_id, status=status)
    db.session.commit()
    return SaveResult(question.id, 1, True)


def get_question(question_id: int) -> tuple[Question, QuestionVersion] | None:
    """Return a question and its current version (one query)."""
    row = db.session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.id == question_id)
    ).first()
    return (row[0], row[1]) if row else None


def current_input(question_id: int) -> QuestionInput | None:
    """Return the form values of a question's current version."""
    found = get_question(question_id)
    return input_of(spec_of(*found)) if found else None


def save_version(question: Question, spec: QuestionSpec) -> SaveResult:
    """Add a version when ``spec`` differs from the current one (inside a write transaction)."""
    current = db.session.get(QuestionVersion, question.current_version_id)
    if current is not None and current.content_hash == spec.content_hash():
        return SaveResult(question.id, current.number, False)
    if current is not None and _learner_view(spec_of(question, current)) == _learner_view(spec):
        # Only what the question is filed under changed (objectives, level, fact, given): it
        # lives on the question, so learners' versions stay as they are.
        classify(question, spec)
        current.content_hash = spec.content_hash()
        question.updated_at = utcnow()
        return SaveResult(question.id, current.number, True)
    number = db.session.scalar(
        select(func.coalesce(func.max(QuestionVersion.number), 0)).where(
            QuestionVersion.question_id == question.id
        )
    )
    version = add_version(question, spec, int(number or 0) + 1)
    return SaveResult(question.id, version.number, True)


def changes_learner_view(question: Question, current: QuestionVersion, spec: QuestionSpec) -> bool:
    """Tell whether ``spec`` needs a new version (``save_version`` would add one)."""
    if current.content_hash == spec.content_hash():
        return False
    return _learner_view(spec_of(question, current)) != _learner_view(spec)


def _learner_view(spec: QuestionSpec) -> str:
    """Hash ``spec`` without its classification: what a version holds."""
    return replace(spec, objectives=(), level="", fact="", given=()).content_hash()


def edit_question(question_id: int, data: QuestionInput) -> SaveResult:
    """Store the edited question as a new version; earlier versions stay for history."""
    begin_write()
    question = db.session.get(Question, question_id)
    if question is None:
        db.session.rollback()
        raise LookupError(question_id)
    try:
        spec = build_spec(data, question.key, question.template)
    except AuthoringError:
        db.session.rollback()
        raise
    result = save_version(question, spec)
    db.session.commit()
    return result


def set_status(question_id: int, status: str) -> None:
    """Retire a question (hidden from new attempts) or make it active again."""
    if status not in ("active", "retired"):
        raise ValueError(status)
    begin_write()
    question = db.session.get(Question, question_id)
    if question is None:
        db.session.rollback()
        raise LookupError(question_id)
    question.status = status
    question.updated_at = utcnow()
    db.session.commit()


def publish(question_ids: Collection[int]) -> int:
    """Make drafts live: each listed question that is still a draft becomes active (one
    statement, one transaction); return how many were published."""
    ids = sorted(set(question_ids))
    if not ids:
        return 0
    begin_write()
    result = db.session.execute(
        update(Question)
        .where(Question.id.in_(ids), Question.status == "draft")
        .values(status="active", updated_at=utcnow())
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def preview(question_id: int, form: Mapping[str, Any] | None = None) -> Preview | None:
    """Show the current version as a learner gets it; grade ``form`` when given (no write)."""
    found = get_question(question_id)
    if found is None:
        return None
    question, version = found
    rng = random.Random(version.id)  # the same layout on the page and when grading  # noqa: S311
    presented = presentation.present(version.qtype, version.choices, version.answer, rng)
    history = list(
        db.session.scalars(
            select(QuestionVersion)
            .where(QuestionVersion.question_id == question.id)
            .order_by(QuestionVersion.number.desc())
        )
    )
    base = Preview(question, version, PreviewItem(presented), history=history)
    if form is None:
        return base
    try:
        response = presentation.form_to_response(version.qtype, form, presented)
    except presentation.ResponseError as exc:
        return Preview(question, version, base.item, error=str(exc), history=history)
    answer = answer_from_json(version.qtype, version.answer)
    choices = tuple(version.choices) if version.choices is not None else None
    try:
        result = grading.grade(version.qtype, answer, response, choices)
    except ValueError as exc:  # e.g. a number the grader cannot read
        return Preview(question, version, base.item, error=str(exc), history=history)
    stored = presentation.response_to_json(version.qtype, response)
    return Preview(question, version, base.item, grade=result, response=stored, history=history)
