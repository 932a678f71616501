"""Instructors' question authoring: build a spec from form values, create, edit, retire, preview."""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select, update

from sinorus_learn.database import utcnow, write
from sinorus_learn.domain import grading, presentation, qtypes
from sinorus_learn.domain.evidence import ReportText, evidence_problems
from sinorus_learn.domain.lint import hint_problems
from sinorus_learn.domain.qtypes import AnswerInput, Authored, Problem
from sinorus_learn.domain.qtypes.base import lines
from sinorus_learn.domain.questions import (
    LEVELS,
    TOPICS,
    QuestionSpec,
    Source,
    answer_from_json,
    check_spec,
)
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.services.catalogue import Catalogue
from sinorus_learn.services.content_sync import add_version, classify, new_question


class AuthoringError(ValueError):
    """Form values that do not make a valid question; each problem names its form field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = tuple(problems)


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
    model_answer: str = ""  # explain: the model answer
    checklist: str = ""  # explain: "text | evidence | section | footnotes" per line
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
    hint: str = ""  # a nudge the learner may ask for; never the key


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


def _csv(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _sentence(text: str) -> str:
    """Return a rule's message as the form shows it: capitalised, with a full stop."""
    return text[0].upper() + text[1:] + "."


def _answer(data: QuestionInput) -> Authored[Any]:
    """Read the choices and key with the question type's own fields; note what is missing."""
    kind = qtypes.find(data.qtype)
    if kind is None:
        return Authored(None, "", (Problem("qtype", "Choose a question type."),))
    fields = AnswerInput(
        choices=data.choices,
        correct=data.correct,
        true_false=data.true_false,
        numeric_value=data.numeric_value,
        tolerance=data.tolerance,
        unit=data.unit,
        pairs=data.pairs,
        model_answer=data.model_answer,
        checklist=data.checklist,
    )
    return kind.from_input(fields)


def _source(data: QuestionInput, problems: list[Problem]) -> Source:
    footnotes: list[int] = []
    for part in _csv(data.footnotes):
        if not part.isdigit():
            problems.append(Problem("footnotes", "Footnotes are numbers separated by commas."))
            break
        footnotes.append(int(part))
    table = data.source_table.strip() or None
    rows = tuple(_csv(data.source_rows))
    if rows and not table:
        problems.append(Problem("source_rows", "Choose the table these rows belong to."))
    return Source(section=data.topic, table=table, rows=rows, footnotes=tuple(footnotes))


def _option_feedback(
    data: QuestionInput, choices: Any, answer: Any, problems: list[Problem]
) -> tuple[tuple[str, str], ...]:
    """Read "wrong option = feedback" lines; each must name a wrong choice, once."""
    feedback_lines = lines(data.option_feedback)
    if not feedback_lines:
        return ()
    kind = qtypes.find(data.qtype)
    correct = kind.keyed_options(answer) if kind is not None else None
    if correct is None:
        problems.append(
            Problem(
                "option_feedback",
                "Per-option feedback is for multiple-choice and multiple-select questions.",
            )
        )
        return ()
    pairs: dict[str, str] = {}
    for number, line in enumerate(feedback_lines, start=1):
        option, sep, text = (part.strip() for part in line.partition("="))
        message = ""
        if not sep or not option or not text:
            message = f"Line {number}: write “wrong option = feedback”."
        elif option not in (choices or ()):
            message = f"Line {number}: “{option}” is not a choice."
        elif option in correct:
            message = (
                f"Line {number}: “{option}” is a correct answer; feedback here is for the "
                "wrong options a learner may pick."
            )
        elif option in pairs:
            message = f"Line {number}: “{option}” has feedback already."
        else:
            pairs[option] = text
        if message:
            problems.append(Problem("option_feedback", message))
    return tuple(pairs.items())


def _classification(
    data: QuestionInput,
    objectives: Mapping[str, Collection[str]],
    report: ReportText | None,
) -> list[Problem]:
    """Note a missing level, objectives not of the topic's lesson, and evidence that is not
    the report's own words."""
    problems: list[Problem] = []
    if data.level not in LEVELS:
        problems.append(Problem("level", "Choose the level the question asks for."))
    known = objectives.get(data.topic, ())
    if not data.objectives:
        problems.append(
            Problem("objectives", "Choose at least one objective of the topic's lesson.")
        )
    for objective in data.objectives:
        if data.topic in TOPICS and objective not in known:
            problems.append(
                Problem(
                    "objectives",
                    f"“{objective}” is not an objective of the {TOPICS[data.topic]} lesson; "
                    "choose the topic's own.",
                )
            )
    if report is not None and data.evidence.strip():
        for problem in evidence_problems(data.evidence.strip(), report):
            problems.append(Problem("evidence", _sentence(problem)))
    return problems


def _number_problems(data: QuestionInput) -> list[Problem]:
    """Check the numeric fields (whatever the type: the form always sends them)."""
    problems = [
        Problem(name, "Give a finite number.")
        for name in ("numeric_value", "tolerance")
        if getattr(data, name) is not None and not math.isfinite(getattr(data, name))
    ]
    if data.tolerance is not None and data.tolerance < 0:
        problems.append(Problem("tolerance", "The tolerance cannot be below zero."))
    return problems


def build_spec(
    data: QuestionInput,
    key: str,
    template: str | None = None,
    *,
    objectives: Mapping[str, Collection[str]],
    report: ReportText,
) -> QuestionSpec:
    """Turn form values into a spec; raise AuthoringError with each problem on its field.

    ``objectives`` maps topics to their lesson's objective ids and ``report`` is the text
    evidence is checked against.
    """
    problems = _classification(data, objectives, report)
    if data.topic not in TOPICS:
        problems.append(Problem("topic", "Choose a topic."))
    problems += _number_problems(data)
    authored = _answer(data)
    problems += authored.problems
    spec = QuestionSpec(
        key=key,
        type=data.qtype,
        prompt=data.prompt.strip(),
        choices=authored.choices,
        answer=authored.answer,
        explanation=data.explanation.strip(),
        topic=data.topic,
        difficulty=data.difficulty,
        source=_source(data, problems),
        template=template,
        tags=tuple(dict.fromkeys(_csv(data.tags))),
        objectives=tuple(dict.fromkeys(data.objectives)),
        level=data.level,
        fact=data.fact.strip(),
        given=tuple(dict.fromkeys(_csv(data.given))),
        evidence=data.evidence.replace("\r\n", "\n").strip(),
        option_feedback=_option_feedback(data, authored.choices, authored.answer, problems),
        text_format=data.text_format,
        hint=" ".join(data.hint.split()),
    )
    problems += [Problem("hint", _sentence(message)) for message in hint_problems(spec)]
    flagged = {problem.field for problem in problems}  # the spec's own rule would repeat them
    problems += [
        Problem(problem.field, _sentence(problem.message))
        for problem in check_spec(spec)
        if problem.field not in flagged
    ]
    if problems:
        raise AuthoringError(problems)
    return spec


def spec_of(question: Question, version: QuestionVersion) -> QuestionSpec:
    """Rebuild the spec of one stored version of ``question``."""
    return QuestionSpec(
        key=question.key,
        type=version.qtype,
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
        hint=version.hint or "",
    )


def input_of(spec: QuestionSpec) -> QuestionInput:
    """Return form values that rebuild ``spec`` (to pre-fill the edit form)."""
    values = qtypes.get(spec.type).to_input(spec.choices, spec.answer)
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
        hint=spec.hint,
        **values,
    )


def _checked_spec(
    data: QuestionInput, key: str, catalogue: Catalogue, template: str | None = None
) -> QuestionSpec:
    """``build_spec`` against the lessons' objectives and the report of ``catalogue``."""
    objectives, report = catalogue.objective_ids(), catalogue.report_text()
    return build_spec(data, key, template, objectives=objectives, report=report)


def new_key(topic: str) -> str:
    """Return a fresh, stable key for a hand-written question."""
    return f"authored/{topic}/{secrets.token_hex(5)}"


def create_question(
    data: QuestionInput, user_id: int, catalogue: Catalogue, draft: bool = False
) -> SaveResult:
    """Validate and store a new authored question, live or as a draft; return its id.
    ``catalogue`` holds the lessons' objectives and the report it is checked against."""
    spec = _checked_spec(data, new_key(data.topic), catalogue)
    with write():
        status = "draft" if draft else "active"
        question = new_question(spec, "authored", created_by_id=user_id, status=status)
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


def edit_question(question_id: int, data: QuestionInput, catalogue: Catalogue) -> SaveResult:
    """Store the edited question as a new version; earlier versions stay for history."""
    with write():
        question = db.session.get(Question, question_id)
        if question is None:
            raise LookupError(question_id)
        spec = _checked_spec(data, question.key, catalogue, question.template)
        return save_version(question, spec)


def set_status(question_id: int, status: str) -> None:
    """Retire a question (hidden from new attempts) or make it active again."""
    if status not in ("active", "retired"):
        raise ValueError(status)
    with write():
        question = db.session.get(Question, question_id)
        if question is None:
            raise LookupError(question_id)
        question.status = status
        question.updated_at = utcnow()


def publish(question_ids: Collection[int]) -> int:
    """Make drafts live: each listed question that is still a draft becomes active (one
    statement, one transaction); return how many were published."""
    ids = sorted(set(question_ids))
    if not ids:
        return 0
    with write():
        result = db.session.execute(
            update(Question)
            .where(Question.id.in_(ids), Question.status == "draft")
            .values(status="active", updated_at=utcnow())
        )
        return int(getattr(result, "rowcount", 0) or 0)


def preview(question_id: int, form: Mapping[str, Any] | None = None) -> Preview | None:
    """Show the current version as a learner gets it; grade ``form`` when given (no write)."""
    found = get_question(question_id)
    if found is None:
        return None
    question, version = found
    rng = random.Random(version.id)  # the same layout on the page and when grading  # noqa: S311
    kind = qtypes.get(version.qtype)
    answer = kind.answer_from_json(version.answer)
    choices = tuple(version.choices) if version.choices is not None else None
    presented = kind.present(choices, answer, rng)
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
        response = kind.parse_form(form, presented)
    except presentation.ResponseError as exc:
        return Preview(question, version, base.item, error=str(exc), history=history)
    try:
        result = grading.grade(version.qtype, answer, response, choices)
    except ValueError as exc:  # e.g. a number the grader cannot read
        return Preview(question, version, base.item, error=str(exc), history=history)
    stored = kind.response_to_json(response)
    return Preview(question, version, base.item, grade=result, response=stored, history=history)
