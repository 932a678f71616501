"""The JSON question file: a list of ``QuestionSpec.to_dict()`` objects."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.formats import FormatError
from sinorus_learn.domain.qtypes.base import json_kind, json_number, json_strings
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec, QuestionSpecError


class JsonFormatError(FormatError):
    """A JSON question file that cannot be imported; ``index`` is the 0-based question."""

    def __init__(self, message: str, line: int | None = None, index: int | None = None) -> None:
        super().__init__(message, line)
        self.index = index


def dump_json(specs: Iterable[QuestionSpec]) -> str:
    """Return the questions as a JSON list, indented, non-ASCII kept readable."""
    return json.dumps([spec.to_dict() for spec in specs], indent=2, ensure_ascii=False) + "\n"


def parse_json(text: str) -> tuple[QuestionSpec, ...]:
    """Read a JSON question file; raise JsonFormatError on the first problem."""
    data = _load(text)
    if not isinstance(data, list):
        raise JsonFormatError(
            f"expected a list of questions at the top level, found {type(data).__name__}", line=1
        )
    specs: list[QuestionSpec] = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(data):
        spec = _question(item, index)
        if spec.key in first_index:
            raise JsonFormatError(
                f"question {index + 1} repeats key {spec.key!r} of question "
                f"{first_index[spec.key] + 1}",
                index=index,
            )
        first_index[spec.key] = index
        specs.append(spec)
    return tuple(specs)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _load(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JsonFormatError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno
        ) from None
    except RecursionError:
        raise JsonFormatError("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise JsonFormatError(f"invalid JSON: {exc}") from None


def _question(item: Any, index: int) -> QuestionSpec:
    where = f"question {index + 1}"
    if not isinstance(item, dict):
        raise JsonFormatError(
            f"{where}: expected an object, found {type(item).__name__}", index=index
        )
    key = item.get("key")
    if not isinstance(key, str) or not key.strip():
        raise JsonFormatError(f"{where}: expected a non-empty string 'key'", index=index)
    problem = _field_types(item) or _classification_shape(item)
    if problem:
        raise JsonFormatError(f"{where} (key {key!r}): {problem}", index=index)
    try:
        spec = QuestionSpec.from_dict(item)
    except (QuestionSpecError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise JsonFormatError(f"{where} (key {key!r}): {exc}", index=index) from exc
    answer = spec.answer
    if isinstance(answer, NumericAnswer) and not all(
        math.isfinite(x) for x in (answer.value, answer.tolerance)
    ):
        raise JsonFormatError(
            f"{where} (key {key!r}): the answer must be a finite number", index=index
        )
    return spec


# The classification fields (LEARNING.md sections 1-3, 6) and the shape each must have; a
# missing field or null is read as empty, so older exports still import.
_TEXT_FIELDS = ("level", "fact", "evidence", "hint")
_LIST_FIELDS = ("objectives", "given")


def _classification_shape(item: dict[str, Any]) -> str:
    """Return what is wrong with the shape of the classification fields ("" when all fits),
    so a string where a list belongs is not read as a list of its letters."""
    for name in _TEXT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            return f"field {name!r} must be a string, found {type(value).__name__}"
    for name in _LIST_FIELDS:
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, list):
            return f"field {name!r} must be a list of strings, found {type(value).__name__}"
        if not all(isinstance(v, str) and v.strip() for v in value):
            return f"field {name!r} must hold only non-empty strings"
    feedback = item.get("option_feedback")
    if feedback is None:
        return ""
    pair = "a list of [option, feedback] pairs of strings"
    if not isinstance(feedback, list):
        return f"field 'option_feedback' must be {pair}, found {type(feedback).__name__}"
    for number, entry in enumerate(feedback, start=1):
        if not (
            isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry)
        ):
            return f"field 'option_feedback', entry {number}: expected {pair}"
    return ""


# Every other field and the JSON type it must have. A field of the wrong type used to reach
# len() or the database ("template": ["a"], "source": {"table": 123}) and give a 500.
_STRING = "a string"


def _field_types(item: dict[str, Any]) -> str:
    """Return the first field of the wrong JSON type, named, with what it must be ("" if none).

    Optional fields may be missing or null; the question's rules are checked afterwards.
    """
    checks: list[tuple[str, Any, bool, str]] = [
        ("type", item.get("type"), isinstance(item.get("type"), str), _STRING),
        ("prompt", item.get("prompt"), isinstance(item.get("prompt"), str), _STRING),
    ]
    for name in ("explanation", "topic", "template", "text_format"):
        value = item.get(name)
        checks.append((name, value, value is None or isinstance(value, str), f"{_STRING} or null"))
    choices = item.get("choices")
    checks.append(
        ("choices", choices, choices is None or json_strings(choices), "a list of strings")
    )
    tags = item.get("tags")
    checks.append(("tags", tags, tags is None or json_strings(tags), "a list of strings"))
    difficulty = item.get("difficulty")
    checks.append(
        ("difficulty", difficulty, difficulty is None or _is_integer(difficulty), "1, 2 or 3")
    )
    source = item.get("source")
    checks.append(("source", source, source is None or isinstance(source, dict), "an object"))
    if isinstance(source, dict):
        section, table = source.get("section"), source.get("table")
        rows, footnotes = source.get("rows"), source.get("footnotes")
        checks += [
            ("source.section", section, section is None or isinstance(section, str), _STRING),
            ("source.table", table, table is None or isinstance(table, str), f"{_STRING} or null"),
            ("source.rows", rows, rows is None or json_strings(rows), "a list of strings"),
            (
                "source.footnotes",
                footnotes,
                footnotes is None
                or (isinstance(footnotes, list) and all(_is_integer(f) for f in footnotes)),
                "a list of whole numbers",
            ),
        ]
    for name, value, fits, expected in checks:
        if not fits:
            return f"field {name!r} must be {expected}, found {json_kind(value)}"
    return _answer_type(item.get("type"), item.get("answer"))


def _is_integer(value: Any) -> bool:
    return json_number(value) and float(value).is_integer() and abs(value) < 2**31


def _answer_type(qtype: Any, answer: Any) -> str:
    """Check the answer's JSON shape for its question type ("" when it fits)."""
    kind = qtypes.find(qtype) if isinstance(qtype, str) else None
    return kind.json_answer_problem(answer) if kind is not None else ""
