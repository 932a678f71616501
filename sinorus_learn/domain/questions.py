"""The question spec: the one shape every generator, importer, grader and page agrees on.

A spec's ``type`` names a question type in the registry (``domain/qtypes/``), whose module
says what its ``choices`` and ``answer`` hold and owns everything that depends on it; the
answer is kept in the type's model and exported in its JSON shape (``QuestionSpec.to_dict``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.qtypes import Answer as Answer  # where callers look
from sinorus_learn.domain.qtypes import NumericAnswer as NumericAnswer  # where callers look
from sinorus_learn.domain.qtypes import Problem
from sinorus_learn.domain.qtypes import QuestionSpecError as QuestionSpecError

QuestionType = str  # the name of a type in the registry (domain/qtypes)
QUESTION_TYPES: tuple[str, ...] = qtypes.names()
TYPE_LABELS: dict[str, str] = qtypes.labels()

# What a question asks of the student (LEARNING.md section 2), in the order a lesson builds them.
Level = Literal["recall", "explain", "data", "evaluate"]
LEVELS: tuple[str, ...] = get_args(Level)
LEVEL_LABELS: dict[str, str] = {
    "recall": "Recall",
    "explain": "Explain",
    "data": "Data",
    "evaluate": "Evaluate",
}
DEEP_LEVELS = frozenset({"explain", "evaluate"})

# How a question's prompt and explanation are written: Markdown (the app's own), or HTML from
# a GIFT ``[html]`` file; both are sanitised when rendered (domain/markup.py).
TEXT_FORMATS: tuple[str, ...] = ("markdown", "html")

# Lesson slugs double as topics; the order is the report's.
TOPICS: dict[str, str] = {
    "overview": "Overview",
    "historical-context": "Historical context",
    "economics": "Economics",
    "energy": "Energy",
    "united-nations": "United Nations",
    "united-states": "Directed at the United States?",
    "sco": "Shanghai Cooperation Organization",
    "military": "Military cooperation",
    "social-cultural": "Social and cultural elements",
}


@dataclass(frozen=True)
class Source:
    """Where a question's answer comes from in the report."""

    section: str  # a topic / lesson slug
    table: str | None = None  # table id, None for hand-written questions
    rows: tuple[str, ...] = ()  # row keys within the table
    footnotes: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "rows": list(self.rows) if self.table else None,
            "footnotes": list(self.footnotes),
            "section": self.section,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(
            section=str(data.get("section") or ""),
            table=data.get("table"),
            rows=tuple(str(r) for r in (data.get("rows") or ())),
            footnotes=tuple(int(f) for f in (data.get("footnotes") or ())),
        )


@dataclass(frozen=True)
class QuestionSpec:
    """One question, independent of where it is stored or how it is shown."""

    key: str
    type: QuestionType
    prompt: str
    choices: tuple[str, ...] | None
    answer: Answer
    explanation: str
    topic: str
    difficulty: int = 1
    source: Source = field(default_factory=lambda: Source(section=""))
    template: str | None = None  # generator template id; None when written by hand
    tags: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()  # ids of its topic's lesson objectives
    level: str = ""  # one of LEVELS
    # What it asks: questions with the same fact are siblings (LEARNING.md section 3); empty
    # means a fact of its own (its key).
    fact: str = ""
    given: tuple[str, ...] = ()  # the facts its stem states, so no quiz pairs it with them
    evidence: str = ""  # the report's own words that back the key, quoted verbatim
    # Feedback for a learner who picks a given wrong option (a known misreading).
    option_feedback: tuple[tuple[str, str], ...] = ()
    text_format: str = "markdown"  # one of TEXT_FORMATS: how prompt and explanation are written
    # A nudge the learner may ask for before answering (a passage or table column to look
    # at), never the key: item lint's "hint-gives-key" checks.
    hint: str = ""

    @property
    def fact_id(self) -> str:
        """Return the fact this question asks: its ``fact``, else its own key."""
        return self.fact or self.key

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON export shape of this question (``text_format`` only when HTML and
        ``hint`` only when there is one, so the hash of every other question stays what it was)."""
        data = {
            "key": self.key,
            "type": self.type,
            "prompt": self.prompt,
            "choices": list(self.choices) if self.choices is not None else None,
            "answer": answer_to_json(self.type, self.answer),
            "explanation": self.explanation,
            "topic": self.topic,
            "difficulty": self.difficulty,
            "source": self.source.to_dict(),
            "template": self.template,
            "tags": list(self.tags),
            "objectives": list(self.objectives),
            "level": self.level,
            "fact": self.fact,
            "given": list(self.given),
            "evidence": self.evidence,
            "option_feedback": [[option, text] for option, text in self.option_feedback],
        }
        if self.text_format != "markdown":
            data["text_format"] = self.text_format
        if self.hint:
            data["hint"] = self.hint
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionSpec:
        """Build a spec from its JSON export shape; raise QuestionSpecError when it is malformed."""
        qtype = data.get("type")
        if not isinstance(qtype, str) or qtypes.find(qtype) is None:
            raise QuestionSpecError(f"unknown question type {qtype!r}")
        choices = data.get("choices")
        spec = cls(
            key=str(data.get("key") or ""),
            type=qtype,
            prompt=str(data.get("prompt") or ""),
            choices=tuple(str(c) for c in choices) if choices is not None else None,
            answer=answer_from_json(qtype, data.get("answer")),
            explanation=str(data.get("explanation") or ""),
            topic=str(data.get("topic") or ""),
            difficulty=int(data.get("difficulty") or 1),
            source=Source.from_dict(data.get("source") or {}),
            template=data.get("template"),
            tags=tuple(str(t) for t in (data.get("tags") or ())),
            objectives=tuple(str(o) for o in (data.get("objectives") or ())),
            level=str(data.get("level") or ""),
            fact=str(data.get("fact") or ""),
            given=tuple(str(g) for g in (data.get("given") or ())),
            evidence=str(data.get("evidence") or ""),
            option_feedback=tuple(
                (str(option), str(text)) for option, text in (data.get("option_feedback") or ())
            ),
            text_format=str(data.get("text_format") or "markdown"),
            hint=str(data.get("hint") or "").strip(),
        )
        validate_spec(spec)
        return spec

    def content_hash(self) -> str:
        """Hash what a learner sees and is graded on; a change means a new version."""
        payload = self.to_dict()
        payload.pop("key")
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def answer_to_json(qtype: str, answer: Answer) -> Any:
    """Return ``answer`` in the JSON export shape for ``qtype``."""
    return qtypes.get(qtype).answer_to_json(answer)


def answer_from_json(qtype: str, raw: Any) -> Answer:
    """Parse an answer from the JSON export shape; raise QuestionSpecError when malformed."""
    answer: Answer = qtypes.get(qtype).answer_from_json(raw)
    return answer


def validate_spec(spec: QuestionSpec) -> None:
    """Raise QuestionSpecError when ``spec`` breaks a rule of its type."""
    problems = spec_problems(spec)
    if problems:
        raise QuestionSpecError("; ".join(problems))


def spec_problems(spec: QuestionSpec) -> list[str]:
    """List what is wrong with ``spec`` (empty when it is well formed), as sentences."""
    return [problem.message for problem in check_spec(spec)]


def check_spec(spec: QuestionSpec) -> list[Problem]:
    """List what is wrong with ``spec``, each with the question-form field it concerns."""
    problems: list[Problem] = []
    if not spec.prompt.strip():
        problems.append(Problem("prompt", "the prompt is empty"))
    if not 1 <= spec.difficulty <= 3:
        problems.append(Problem("difficulty", "difficulty must be 1, 2 or 3"))
    kind = qtypes.find(spec.type)
    if kind is not None:
        problems += kind.problems(spec.choices, spec.answer)
    if spec.text_format not in TEXT_FORMATS:
        problems.append(
            Problem("text_format", f"text format must be one of {', '.join(TEXT_FORMATS)}")
        )
    if spec.level and spec.level not in LEVELS:
        problems.append(Problem("level", f"level must be one of {', '.join(LEVELS)}"))
    if spec.fact_id in spec.given:
        problems.append(Problem("given", "a question cannot state its own fact in its stem"))
    if spec.choices is not None and any(o not in spec.choices for o, _ in spec.option_feedback):
        problems.append(Problem("option_feedback", "option feedback must name one of the choices"))
    return problems


def classification_problems(
    spec: QuestionSpec, objectives: Mapping[str, Collection[str]]
) -> list[str]:
    """List what keeps ``spec`` out of the bank: a missing level, or objectives that are not
    its topic's (``objectives`` maps each topic to its lesson's objective ids)."""
    problems: list[str] = []
    if spec.level not in LEVELS:
        problems.append(f"level must be one of {', '.join(LEVELS)}")
    if not spec.objectives:
        problems.append("at least one objective is needed")
    known = objectives.get(spec.topic, ())
    for objective in spec.objectives:
        if objective not in known:
            problems.append(f"objective {objective!r} is not one of topic {spec.topic!r}'s")
    return problems
