"""Load the hand-written conceptual questions kept as TOML in ``question_bank/questions/``.

Each file is named after a lesson slug (``<slug>.toml``) and holds an array of tables
``[[question]]`` in the JSON-export shape of ``QuestionSpec.to_dict``. TOML has no null, so a
missing ``choices`` or ``source.table`` means None; a numeric answer is an inline table
``{value, tolerance, unit}`` and a matching answer a list of ``[left, right]`` pairs.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.questions import TOPICS, QuestionSpec, QuestionSpecError

KEY_PREFIX = "authored"
ALLOWED_FIELDS = frozenset(
    {"key", "type", "prompt", "choices", "answer", "explanation", "topic", "difficulty"}
    | {"source", "tags", "objectives", "level", "fact", "given", "evidence", "option_feedback"}
    | {"hint"}
)
REQUIRED_FIELDS = (
    *("key", "type", "prompt", "answer", "explanation", "topic", "source"),
    *("objectives", "level"),
)
ALLOWED_SOURCE_FIELDS = frozenset({"section", "table", "rows", "footnotes"})


class AuthoredError(ValueError):
    """A hand-written question file that cannot be loaded."""


def load_authored(directory: Path) -> list[QuestionSpec]:
    """Load every ``<slug>.toml`` in ``directory``, lessons in the report's order."""
    if not directory.is_dir():
        raise AuthoredError(f"{directory}: no such question directory")
    files = sorted(directory.glob("*.toml"))
    unknown = [path.name for path in files if path.stem not in TOPICS]
    if unknown:
        raise AuthoredError(f"{', '.join(unknown)}: file name is not a lesson slug")
    order = list(TOPICS)
    files.sort(key=lambda path: order.index(path.stem))
    # Keys carry their file's slug, so keys unique within each file are unique across files.
    return [spec for path in files for spec in load_authored_file(path)]


def load_authored_file(path: Path) -> list[QuestionSpec]:
    """Load the questions of one lesson file; raise AuthoredError naming the file and question."""
    slug = path.stem
    if slug not in TOPICS:
        raise AuthoredError(f"{path.name}: file name is not a lesson slug")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AuthoredError(f"{path.name}: cannot read TOML: {exc}") from exc
    extra = set(document) - {"question"}
    if extra:
        raise AuthoredError(f"{path.name}: unexpected top-level keys {sorted(extra)}")
    questions = document.get("question")
    if not isinstance(questions, list) or not questions:
        raise AuthoredError(f"{path.name}: expected one or more [[question]] tables")
    specs: list[QuestionSpec] = []
    keys: set[str] = set()
    for index, raw in enumerate(questions, start=1):
        label = _label(raw, index)
        try:
            spec = _spec_from_toml(raw, slug)
        except (QuestionSpecError, TypeError, ValueError, KeyError) as exc:
            raise AuthoredError(f"{path.name}: {label}: {exc}") from exc
        if spec.key in keys:
            raise AuthoredError(f"{path.name}: {label}: duplicate key {spec.key!r}")
        keys.add(spec.key)
        specs.append(spec)
    return specs


def _label(raw: Any, index: int) -> str:
    """Name a question by its key when it has one, else by its position in the file."""
    if isinstance(raw, dict) and isinstance(raw.get("key"), str) and raw["key"]:
        return f"question {index} ({raw['key']})"
    return f"question {index}"


def _spec_from_toml(raw: Any, slug: str) -> QuestionSpec:
    """Check the TOML shape of one question and build its spec."""
    if not isinstance(raw, dict):
        raise ValueError("a question must be a table")
    missing = [name for name in REQUIRED_FIELDS if name not in raw]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    unknown = set(raw) - ALLOWED_FIELDS
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    for name in ("key", "type", "prompt", "explanation", "topic"):
        if not isinstance(raw[name], str) or not raw[name].strip():
            raise ValueError(f"{name} must be a non-empty string")
    if not raw["key"].startswith(f"{KEY_PREFIX}:{slug}:"):
        raise ValueError(f"key must start with '{KEY_PREFIX}:{slug}:'")
    if raw["topic"] != slug:
        raise ValueError(f"topic {raw['topic']!r} does not match the file's lesson {slug!r}")
    for name in ("choices", "tags", "objectives", "given"):
        _check_string_list(raw, name)
    for name in ("level", "fact", "evidence", "hint"):
        if not isinstance(raw.get(name, ""), str):
            raise ValueError(f"{name} must be a string")
    feedback = raw.get("option_feedback", [])
    if not isinstance(feedback, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
        for pair in feedback
    ):
        raise ValueError("option_feedback must be a list of [option, feedback] string pairs")
    difficulty = raw.get("difficulty", 1)
    if isinstance(difficulty, bool) or not isinstance(difficulty, int):
        raise ValueError("difficulty must be an integer")
    source = _source(raw["source"])
    _check_answer_shape(raw["type"], raw["answer"])
    data = dict(raw, choices=raw.get("choices"), source=source, template=None)
    return QuestionSpec.from_dict(data)


def _check_string_list(raw: dict[str, Any], name: str) -> None:
    """Require ``raw[name]``, when present, to be a list of strings."""
    value = raw.get(name)
    if value is not None and (
        not isinstance(value, list) or not all(isinstance(item, str) for item in value)
    ):
        raise ValueError(f"{name} must be a list of strings")


def _source(raw: Any) -> dict[str, Any]:
    """Check a question's source table and fill in what TOML cannot say (no table)."""
    if not isinstance(raw, dict):
        raise ValueError("source must be a table")
    unknown = set(raw) - ALLOWED_SOURCE_FIELDS
    if unknown:
        raise ValueError(f"unknown source fields {sorted(unknown)}")
    if raw.get("section") not in TOPICS:
        raise ValueError(f"source.section {raw.get('section')!r} is not a lesson slug")
    footnotes = raw.get("footnotes", [])
    if not isinstance(footnotes, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in footnotes
    ):
        raise ValueError("source.footnotes must be a list of positive integers")
    return {"section": raw["section"], "table": raw.get("table"), "footnotes": footnotes}


def _check_answer_shape(qtype: str, answer: Any) -> None:
    """Reject answer shapes the JSON parser would silently accept (a string split into pairs),
    and fields an answer table cannot have."""
    kind = qtypes.find(qtype)
    if kind is None:
        return  # ``QuestionSpec.from_dict`` names the unknown type
    problem = kind.json_answer_problem(answer)
    if problem:
        raise ValueError(f"a {qtype} answer does not fit its type: {problem}")
    if isinstance(answer, dict):
        extra = set(answer) - set(kind.answer_to_json(kind.answer_from_json(answer)))
        if extra:
            raise ValueError(f"a {qtype} answer has unknown fields {sorted(extra)}")
