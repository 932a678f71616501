"""GIFT, Moodle's text format for questions: parse a file into specs, and write specs back.

Questions are separated by blank lines; ``//`` lines are comments. Special characters are
escaped with a backslash. See https://docs.moodle.org/en/GIFT_format for the full format.

What GIFT has no syntax for (LEARNING.md's classification) travels in annotation comments
directly above the question, which Moodle ignores: ``// @level explain``,
``// @objectives energy.deals, energy.obstacles``, ``// @fact <id>``, ``// @given <id>, <id>``,
``// @evidence <the report's words>`` and ``// @hint <a nudge, never the key>`` (see
docs/gift.md).
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.formats import FormatError
from sinorus_learn.domain.markup import plain_text, sanitise_html
from sinorus_learn.domain.qtypes.base import gift_escape
from sinorus_learn.domain.qtypes.explain import ExplainAnswer
from sinorus_learn.domain.questions import (
    LEVELS,
    TOPICS,
    NumericAnswer,
    QuestionSpec,
    Source,
    spec_problems,
)

# Escaped characters become private-use placeholders while parsing, so the structure can be
# found with plain string searches; they are turned back into text at the end.
_PLACEHOLDERS = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDERS.items()})
_FORMAT_RE = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_BAD_WEIGHT_RE = re.compile(r"%[^%\s]*%")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_VALUE_RE = re.compile(rf"({_NUMBER})(?::({_NUMBER}))?")
_RANGE_RE = re.compile(rf"({_NUMBER})\.\.({_NUMBER})")
_TAG_RE = re.compile(r"\[tag:([^\]]+)\]")
_ANNOTATION_RE = re.compile(r"^//\s*@([A-Za-z_-]+)(?:\s+(.*?))?\s*$")
# The annotations a question may carry, and whether each holds a comma-separated list.
ANNOTATIONS: dict[str, bool] = {
    "level": False,
    "objectives": True,
    "fact": False,
    "given": True,
    "evidence": False,
    "hint": False,
}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_BLANK = "_____"


class GiftError(FormatError):
    """A GIFT syntax error, reported at the first offending line (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message, line)


@dataclass(frozen=True)
class ImportedQuestion:
    """A question read from a GIFT file, with its category, first line and annotation lines."""

    spec: QuestionSpec
    category: str | None
    line: int
    annotation_lines: tuple[tuple[str, int], ...] = ()  # (annotation name, file line)

    def line_of(self, name: str) -> int:
        """Return the line of annotation ``name`` (``objectives``...), else the question's."""
        return dict(self.annotation_lines).get(name, self.line)


@dataclass(frozen=True)
class SkippedQuestion:
    """An item the app has no type for (a description, an empty category), by name."""

    name: str
    kind: str
    line: int
    reason: str


@dataclass(frozen=True)
class GiftImport:
    """Everything read from one GIFT file."""

    questions: tuple[ImportedQuestion, ...]
    skipped: tuple[SkippedQuestion, ...]


@dataclass(frozen=True)
class GiftExport:
    """A GIFT file and the keys of the questions GIFT cannot express."""

    text: str
    skipped: tuple[str, ...]


@dataclass(frozen=True)
class _Answer:
    marker: str  # "=", "~" or "" when a lone answer has no marker
    weight: float | None
    text: str  # still holding placeholders
    feedback: str  # restored
    line: int


@dataclass(frozen=True)
class _Parsed:
    type: str
    choices: tuple[str, ...] | None
    answer: object
    feedback: tuple[str, ...]  # explanation lines, per answer
    tags: tuple[str, ...] = ()
    option_feedback: tuple[tuple[str, str], ...] = ()  # wrong choice -> its feedback


class _Chunk:
    """One question's lines (comments removed), with a map from offsets back to line numbers."""

    def __init__(self, lines: list[tuple[int, str]], comments: list[tuple[int, str]]) -> None:
        self.numbers = [number for number, _ in lines]
        self.text = "\n".join(text for _, text in lines)
        self.starts = [0]
        for _, text in lines[:-1]:
            self.starts.append(self.starts[-1] + len(text) + 1)
        self.comments = comments

    def line(self, offset: int) -> int:
        """Return the file line holding ``offset`` of the chunk text."""
        return self.numbers[bisect.bisect_right(self.starts, offset) - 1]

    def error(self, offset: int, message: str) -> GiftError:
        return GiftError(self.line(offset), message)


# ---------------------------------------------------------------- parsing


def parse_gift(text: str, default_topic: str = "overview") -> GiftImport:
    """Parse a GIFT file; raise GiftError at the first syntax error."""
    questions: list[ImportedQuestion] = []
    skipped: list[SkippedQuestion] = []
    keys: dict[str, int] = {}
    category: str | None = None
    category_line = 0
    category_used = True
    for chunk in _chunks(text):
        first = chunk.text.lstrip()
        if first.startswith("$CATEGORY:"):
            if not category_used:
                skipped.append(_empty_category(category or "", category_line))
            category = _restore(first[len("$CATEGORY:") :].split("\n", 1)[0]).strip()
            category_line, category_used = chunk.line(len(chunk.text) - len(first)), False
            rest = first.split("\n", 1)
            if len(rest) == 1 or not rest[1].strip():
                continue
            lines = list(zip(chunk.numbers[1:], rest[1].split("\n"), strict=False))
            chunk = _Chunk(lines, chunk.comments)
        item = _question(chunk, category, default_topic, keys)
        category_used = True
        if isinstance(item, SkippedQuestion):
            skipped.append(item)
            continue
        questions.append(
            ImportedQuestion(
                spec=item.spec, category=category, line=item.line, annotation_lines=item.lines
            )
        )
    if not category_used:
        skipped.append(_empty_category(category or "", category_line))
    return GiftImport(questions=tuple(questions), skipped=tuple(skipped))


def _chunks(text: str) -> list[_Chunk]:
    """Split the file into questions at blank lines, dropping ``//`` comments."""
    chunks: list[_Chunk] = []
    lines: list[tuple[int, str]] = []
    comments: list[tuple[int, str]] = []
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        line = raw.removesuffix("\r")
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append((number, stripped))
        elif stripped:
            if "\\" in line:
                line = _ESCAPE_RE.sub(lambda m: _PLACEHOLDERS[m.group(1)], line)
            lines.append((number, line))
        elif lines or comments:
            if lines:
                chunks.append(_Chunk(lines, comments))
            lines, comments = [], []
    if lines:
        chunks.append(_Chunk(lines, comments))
    return chunks


def _empty_category(name: str, line: int) -> SkippedQuestion:
    return SkippedQuestion(
        name=name,
        kind="category",
        line=line,
        reason="a category with no questions (the app files questions under topics)",
    )


def _question(
    chunk: _Chunk, category: str | None, default_topic: str, keys: dict[str, int]
) -> _Imported | SkippedQuestion:
    """Read one question chunk: title, stem, answer block, trailing text; ``keys`` holds the
    keys given so far, so a repeated title gets a numbered key."""
    text = chunk.text
    start = len(text) - len(text.lstrip())
    title, pos = _title(chunk, start)
    line = chunk.line(start)
    open_at, close_at = _block(chunk, pos)
    tags = _comment_tags(chunk.comments)
    if open_at < 0:
        stem, _ = _strip_format(text[pos:])
        return _skip(title, _restore(stem).strip(), "description", line)
    before, fmt = _strip_format(text[pos:open_at])
    prompt = _prompt(before, text[close_at + 1 :])
    block = text[open_at + 1 : close_at]
    general, body = _general_feedback(block)
    if not prompt:
        raise chunk.error(open_at, "expected the question text before the answer block")
    if body.strip():
        parsed = _answers(chunk, open_at + 1, body)
    else:  # an essay: explained in the learner's words; its general feedback is the model
        model = sanitise_html(general) if fmt == "html" else general
        parsed, general = _Parsed("explain", None, ExplainAnswer(model=model), ()), ""
    notes = _annotations(chunk.comments)
    topic = _topic(category, default_topic)
    extra: tuple[str, ...] = (f"category:{category}",) if category else ()
    extra += ("gift:html",) if fmt == "html" else ()
    if fmt == "html":  # sanitised HTML text; options and their feedback as plain text
        prompt, parsed = sanitise_html(prompt), _plain_options(parsed)
        explanation = sanitise_html(_html_explanation(general, parsed.feedback))
    else:
        explanation = _explanation(general, parsed.feedback)
    spec = QuestionSpec(
        key=_unique(_key(title, prompt), keys),
        type=parsed.type,
        prompt=prompt,
        choices=parsed.choices,
        answer=parsed.answer,  # type: ignore[arg-type]
        explanation=explanation,
        topic=topic,
        source=Source(section=topic),
        tags=tuple(dict.fromkeys(extra + parsed.tags + tags)),
        objectives=notes.values.get("objectives", ()),
        level=notes.text("level"),
        fact=notes.text("fact"),
        given=notes.values.get("given", ()),
        evidence=notes.text("evidence"),
        hint=notes.text("hint"),
        option_feedback=parsed.option_feedback,
        text_format="html" if fmt == "html" else "markdown",
    )
    problems = spec_problems(spec)
    if problems:
        raise GiftError(line, "; ".join(problems))
    return _Imported(spec, line, tuple(notes.lines.items()))


@dataclass(frozen=True)
class _Imported:
    spec: QuestionSpec
    line: int
    lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class _Annotations:
    """The ``// @name value`` comments of one question: values (lists split) and lines."""

    values: dict[str, tuple[str, ...]]
    lines: dict[str, int]

    def text(self, name: str) -> str:
        return " ".join(self.values.get(name, ()))


def _annotations(comments: list[tuple[int, str]]) -> _Annotations:
    """Read the question's annotation comments; an unknown, repeated or empty one is an error."""
    values: dict[str, tuple[str, ...]] = {}
    lines: dict[str, int] = {}
    for number, comment in comments:
        match = _ANNOTATION_RE.match(comment)
        if not match:
            continue
        name, raw = match.group(1).lower(), (match.group(2) or "").strip()
        if name not in ANNOTATIONS:
            expected = ", ".join(f"@{n}" for n in ANNOTATIONS)
            raise GiftError(number, f"unknown annotation '@{name}'; expected one of {expected}")
        if name in lines:
            raise GiftError(number, f"'@{name}' given twice (first on line {lines[name]})")
        items = tuple(p.strip() for p in raw.split(",")) if ANNOTATIONS[name] else (raw,)
        if not raw or not all(items):
            raise GiftError(number, f"expected a value after '@{name}'")
        if name == "level" and raw not in LEVELS:
            raise GiftError(number, f"unknown level {raw!r}; expected one of {', '.join(LEVELS)}")
        values[name], lines[name] = items, number
    return _Annotations(values, lines)


def _skip(title: str, stem: str, kind: str, line: int) -> SkippedQuestion:
    reasons = {
        "description": "a description has no answer to grade; the app has no description items",
    }
    name = title or " ".join(stem.split())[:60] or f"question on line {line}"
    return SkippedQuestion(name=name, kind=kind, line=line, reason=reasons[kind])


def _title(chunk: _Chunk, start: int) -> tuple[str, int]:
    """Return the ``::title::`` (or "") and the offset after it."""
    text = chunk.text
    if not text.startswith("::", start):
        return "", start
    end = text.find("::", start + 2)
    if end < 0:
        raise chunk.error(start, "expected '::' to close the question title")
    return _restore(text[start + 2 : end]).strip(), end + 2


def _block(chunk: _Chunk, pos: int) -> tuple[int, int]:
    """Find the answer block ``{...}`` after ``pos``; (-1, -1) when there is none."""
    text = chunk.text
    open_at = text.find("{", pos)
    stray = text.find("}", pos)
    if stray >= 0 and (open_at < 0 or stray < open_at):
        raise chunk.error(stray, "unexpected '}' outside an answer block (write \\} for a brace)")
    if open_at < 0:
        return -1, -1
    close_at = text.find("}", open_at)
    nested = text.find("{", open_at + 1)
    if nested >= 0 and (close_at < 0 or nested < close_at):
        raise chunk.error(
            nested,
            f"expected '}}' to close the answer block opened on line {chunk.line(open_at)}",
        )
    if close_at < 0:
        raise chunk.error(
            len(text),
            f"expected '}}' to close the answer block opened on line {chunk.line(open_at)}",
        )
    after = text.find("{", close_at)
    if after >= 0:
        raise chunk.error(after, "expected a blank line before the next question")
    stray = text.find("}", close_at + 1)
    if stray >= 0:
        raise chunk.error(stray, "unexpected '}' outside an answer block (write \\} for a brace)")
    return open_at, close_at


def _strip_format(text: str) -> tuple[str, str | None]:
    """Remove a leading ``[html]``-style format marker; return the text and the format."""
    match = _FORMAT_RE.match(text)
    if not match:
        return text, None
    return text[match.end() :], match.group(1)


def _prompt(before: str, after: str) -> str:
    """Join the text around the answer block, with a blank where the block stood."""
    before, after = _restore(before).strip(), _restore(after).strip()
    if not after:
        return before
    return " ".join(part for part in (before, _BLANK, after) if part)


def _general_feedback(block: str) -> tuple[str, str]:
    """Split ``####general feedback`` off the end of an answer block."""
    at = block.find("####")
    if at < 0:
        return "", block
    return _text(block[at + 4 :]), block[:at]


def _text(raw: str) -> str:
    """Return answer or feedback text without its format marker, escapes resolved."""
    return _restore(_strip_format(raw)[0]).strip()


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _comment_tags(comments: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(
        tag.strip() for _, line in comments for tag in _TAG_RE.findall(line) if tag.strip()
    )


def _topic(category: str | None, default_topic: str) -> str:
    """Map a category to a topic by slug or title (whole or last segment), else the default."""
    if not category:
        return default_topic
    wanted = {category.strip().lower(), category.rsplit("/", 1)[-1].strip().lower()}
    for slug, title in TOPICS.items():
        if slug in wanted or title.lower() in wanted:
            return slug
    return default_topic


# A title that is already one of our keys (as ``dump_gift`` writes them) is kept as the key,
# so exporting and re-importing a bank finds the same questions instead of duplicating them.
_OWN_KEY = re.compile(r"^(import:\S+|[a-z][a-z0-9_-]*:[a-z][a-z0-9_.-]*:.+)$")


def _key(title: str, prompt: str) -> str:
    """Return a key that is the same every time the same file is imported."""
    return _title_key(title) or (
        "import:" + hashlib.sha256(prompt.encode("utf-8", "replace")).hexdigest()[:12]
    )


@lru_cache(maxsize=4096)
def _title_key(title: str) -> str:
    """The key a title gives ("" for none); cached, as a file often repeats its titles."""
    if _OWN_KEY.match(title.strip()) and len(title.strip()) <= 255:
        return title.strip()
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    return f"import:{slug}" if slug else ""


def _unique(key: str, used: dict[str, int]) -> str:
    """Return ``key``, or ``key-2``, ``key-3``... when taken; ``used`` maps each key taken to
    the last suffix tried for it, so n equal titles cost n steps, not n squared."""
    if key not in used:
        used[key] = 1
        return key
    n = used[key]
    while True:
        n += 1
        candidate = f"{key}-{n}"
        if candidate not in used:
            used[key] = n
            used[candidate] = 1
            return candidate


def _plain_options(parsed: _Parsed) -> _Parsed:
    """An ``[html]`` question's options, keys and option feedback as plain text: they are
    shown and graded as text, so ``<b>Moscow</b>`` is the option Moscow."""
    answer = parsed.answer
    if isinstance(answer, str):
        answer = plain_text(answer)
    elif isinstance(answer, tuple):
        answer = tuple(
            tuple(map(plain_text, item)) if isinstance(item, tuple) else plain_text(item)
            for item in answer
        )
    return replace(
        parsed,
        choices=tuple(plain_text(c) for c in parsed.choices) if parsed.choices else parsed.choices,
        answer=answer,
        option_feedback=tuple((plain_text(o), plain_text(t)) for o, t in parsed.option_feedback),
    )


def _html_explanation(general: str, lines: tuple[str, ...]) -> str:
    """The explanation of an ``[html]`` question: its general feedback, then the per-answer
    feedback lines as a list."""
    items = "".join(f"<li>{line.removeprefix('- ')}</li>" for line in lines)
    return general + (f"<ul>{items}</ul>" if items else "")


def _explanation(general: str, lines: tuple[str, ...]) -> str:
    parts = [general] if general else []
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


# ---------------------------------------------------------------- answer blocks


def _answers(chunk: _Chunk, base: int, body: str) -> _Parsed:
    """Work out the question type from the answer block, as Moodle does, and read it."""
    if body.lstrip().startswith("#"):
        return _numeric(chunk, base, body)
    if "~" in body:
        return _choice(_split(chunk, base, body))
    if "=" in body and "->" in body:
        return _matching(chunk, _split(chunk, base, body))
    head = body.split("#", 1)[0].strip().upper()
    if head in _TRUE_FALSE:
        return _true_false(body, _TRUE_FALSE[head])
    return _short(chunk, _split(chunk, base, body))


def _split(chunk: _Chunk, base: int, body: str) -> list[_Answer]:
    """Split an answer block at each ``=`` or ``~`` into answers with weight and feedback."""
    marks = [i for i, ch in enumerate(body) if ch in "=~"]
    if not marks:
        return [_answer(chunk, base, "", body)]
    lead = len(body[: marks[0]]) - len(body[: marks[0]].lstrip())
    if body[: marks[0]].strip():
        raise chunk.error(base + lead, "expected '=' or '~' to start an answer")
    ends = marks[1:] + [len(body)]
    return [
        _answer(chunk, base + start, body[start], body[start + 1 : end])
        for start, end in zip(marks, ends, strict=True)
    ]


def _answer(chunk: _Chunk, at: int, marker: str, raw: str) -> _Answer:
    line = chunk.line(at)
    text = raw.lstrip()
    weight: float | None = None
    bad_weight = GiftError(line, "expected a weight from -100 to 100, such as %50%")
    if match := _WEIGHT_RE.match(text):
        weight = float(match.group(1))
        text = text[match.end() :]
        if not -100 <= weight <= 100:
            raise bad_weight
    elif _BAD_WEIGHT_RE.match(text):
        raise bad_weight
    text, _, feedback = text.partition("#")
    return _Answer(marker, weight, _strip_format(text)[0].strip(), _text(feedback), line)


def _feedback_lines(answers: Iterable[_Answer], label: Callable[[_Answer], str]) -> tuple[str, ...]:
    lines = []
    for a in answers:
        if a.feedback:
            lines.append(f"- {label(a)}: {' '.join(a.feedback.split())}")
    return tuple(lines)


def _weighted_label(a: _Answer) -> str:
    text = _restore(a.text) or "any other answer"
    if a.weight is None or a.weight in (0, 100):
        return text
    return f"{text} ({a.weight:g}%)"


def _choice(answers: list[_Answer]) -> _Parsed:
    """Read multiple choice (one ``=``) or multiple select (positive weights)."""
    for a in answers:
        if not a.text:
            raise GiftError(a.line, f"expected answer text after '{a.marker}'")
    choices = tuple(_restore(a.text) for a in answers)
    right = [a for a in answers if a.marker == "="]
    partial = any(a.marker == "~" and (a.weight or 0) > 0 for a in answers)
    if len(right) == 1:
        tags = ("gift:partial-credit",) if partial else ()
        wrong = [a for a in answers if a.marker == "~" and (a.weight or 0) <= 0]
        feedback, per_option = _option_feedback(answers, wrong)
        return _Parsed(
            "multiple_choice", choices, _restore(right[0].text), feedback, tags, per_option
        )
    correct = tuple(
        _restore(a.text)
        for a in answers
        if (a.weight is None and a.marker == "=") or (a.weight or 0) > 0
    )
    if not correct:
        raise GiftError(answers[0].line, "expected a correct answer: '=' or a weight like ~%50%")
    tags = ("gift:any-of",) if len(right) > 1 else ()
    feedback, per_option = _option_feedback(
        answers, [a for a in answers if _restore(a.text) not in correct]
    )
    return _Parsed("multiple_select", choices, correct, feedback, tags, per_option)


def _option_feedback(
    answers: list[_Answer], wrong: list[_Answer]
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Split per-answer feedback: a wrong choice's is shown to whoever picks it (option
    feedback); the rest is listed in the explanation."""
    per_option = tuple((_restore(a.text), a.feedback) for a in wrong if a.feedback)
    rest = [a for a in answers if not any(a is w for w in wrong)]
    return _feedback_lines(rest, _weighted_label), per_option


def _matching(chunk: _Chunk, answers: list[_Answer]) -> _Parsed:
    """Read ``=left -> right`` pairs; ``= -> x`` adds a right-hand distractor only."""
    pairs: list[tuple[str, str]] = []
    options: list[str] = []
    for a in answers:
        left, arrow, right = a.text.partition("->")
        if not arrow:
            raise GiftError(a.line, "expected 'question -> answer' in a matching question")
        left, right = _text(left), _restore(right).strip()
        if not right:
            raise GiftError(a.line, "expected an answer after '->'")
        if left:
            pairs.append((left, right))
        options.append(right)
    feedback = _feedback_lines(answers, lambda a: _restore(a.text).strip())
    return _Parsed("matching", tuple(dict.fromkeys(options)), tuple(pairs), feedback)


def _true_false(body: str, value: bool) -> _Parsed:
    """Read ``{TRUE#feedback if wrong#feedback if right}``."""
    parts = [_text(part) for part in body.split("#")[1:3]]
    said = ("False", "True") if value else ("True", "False")
    feedback = tuple(f"- {s}: {fb}" for s, fb in zip(said, parts, strict=False) if fb)
    return _Parsed("true_false", None, value, feedback)


def _short(chunk: _Chunk, answers: list[_Answer]) -> _Parsed:
    """Read accepted answers (weight 100); partial-credit and wildcard answers are noted."""
    for a in answers:
        if not a.text:
            raise GiftError(a.line, f"expected answer text after '{a.marker or '{'}'")
    accepted = tuple(_restore(a.text) for a in answers if a.weight in (None, 100))
    if not accepted:
        raise GiftError(answers[0].line, "expected at least one answer worth 100%")
    tags: tuple[str, ...] = ("gift:wildcard",) if any("*" in a for a in accepted) else ()
    if len(accepted) < len(answers):
        tags += ("gift:partial-credit",)
    return _Parsed("short_text", None, accepted, _feedback_lines(answers, _weighted_label), tags)


def _numeric(chunk: _Chunk, base: int, body: str) -> _Parsed:
    """Read ``{#5:0.5}``, ``{#1..3}`` or several ``=`` answers (the 100% one is the key)."""
    lead = body.index("#")
    rest = body[lead + 1 :]
    offset = base + lead + 1
    if not rest.lstrip().startswith(("=", "~")):
        rest, offset = "=" + rest, offset - 1
    answers = _split(chunk, offset, rest)
    keyed = [a for a in answers if a.marker == "=" and a.weight in (None, 100)]
    for a in answers:
        if a.marker == "=" or (a.text and a.text != "*"):
            _number(a)
    if not keyed:
        raise GiftError(answers[0].line, "expected an answer worth 100%, such as {#5:0.5}")
    tags = (
        ("gift:partial-credit",) if any(a.marker == "=" and a not in keyed for a in answers) else ()
    )
    feedback = _feedback_lines(answers, _weighted_label)
    return _Parsed("numeric", None, _number(keyed[0]), feedback, tags)


def _tidy(value: float) -> float:
    return float(f"{value:.12g}")


def _number(a: _Answer) -> NumericAnswer:
    """Read ``value``, ``value:tolerance`` or ``low..high``."""
    text = "".join(_restore(a.text).split())
    expected = "expected a number such as 5, 5:0.5 or 1..3"
    if match := _RANGE_RE.fullmatch(text):
        low, high = float(match.group(1)), float(match.group(2))
        if not (math.isfinite(low) and math.isfinite(high)):
            raise GiftError(a.line, expected)
        if low > high:
            raise GiftError(a.line, "expected the low end of the range first, as in 1..3")
        middle = NumericAnswer.from_range(low, high)
        # (low + high) / 2 leaves binary noise: 3.141..3.142 would read 3.1414999999999997.
        return NumericAnswer(value=_tidy(middle.value), tolerance=_tidy(middle.tolerance))
    match = _VALUE_RE.fullmatch(text)
    if not match:
        raise GiftError(a.line, expected)
    value, tolerance = float(match.group(1)), float(match.group(2) or 0)
    if not (math.isfinite(value) and math.isfinite(tolerance)):
        raise GiftError(a.line, expected)
    if tolerance < 0:
        raise GiftError(a.line, "expected a tolerance of zero or more")
    return NumericAnswer(value=value, tolerance=tolerance)


# ---------------------------------------------------------------- writing


def dump_gift(specs: Iterable[QuestionSpec]) -> str:
    """Write the questions as GIFT; questions GIFT cannot express are listed in comments."""
    return export_gift(specs).text


def export_gift(specs: Iterable[QuestionSpec]) -> GiftExport:
    """Write the questions as GIFT, one ``$CATEGORY: sinorus/<topic>`` per topic."""
    by_topic: dict[str, list[QuestionSpec]] = {}
    skipped: list[QuestionSpec] = []
    for spec in specs:
        if qtypes.get(spec.type).in_gift:
            by_topic.setdefault(spec.topic, []).append(spec)
        else:
            skipped.append(spec)
    blocks = [
        f"// not exported, GIFT has no {spec.type} questions: {gift_escape(spec.key)}"
        for spec in skipped
    ]
    for topic, group in by_topic.items():
        blocks.append(f"$CATEGORY: sinorus/{gift_escape(topic)}")
        blocks.extend(_dump_question(spec) for spec in group)
    text = "\n\n".join(blocks) + "\n" if blocks else ""
    return GiftExport(text=text, skipped=tuple(spec.key for spec in skipped))


def _dump_annotations(spec: QuestionSpec) -> list[str]:
    """Write the classification GIFT has no syntax for as ``// @name value`` comments."""
    values = {
        "level": spec.level,
        "objectives": ", ".join(spec.objectives),
        "fact": spec.fact,
        "given": ", ".join(spec.given),
        "evidence": spec.evidence,
        "hint": spec.hint,
    }
    # A comment is one line: a line break in a value would end it.
    return [f"// @{name} {' '.join(value.split())}" for name, value in values.items() if value]


def _dump_question(spec: QuestionSpec) -> str:
    lines = _dump_annotations(spec)
    marker = f"[{spec.text_format}]"
    kind = qtypes.get(spec.type)
    lines.append(f"::{gift_escape(spec.key)}::{marker}{gift_escape(spec.prompt)}{{{kind.gift_mark}")
    answers = kind.gift_answers(spec.choices, spec.answer, spec.option_feedback)
    lines.extend(f"\t{line}" for line in answers)
    general = kind.gift_general_feedback(spec.answer, spec.explanation)
    if general.strip():
        lines.append(f"\t####{marker}{gift_escape(general)}")
    lines.append("}")
    return "\n".join(lines)
