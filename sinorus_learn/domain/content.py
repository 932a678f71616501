"""Lessons and footnotes: the report's sections retold, loaded from question_bank/ TOML files.

A lesson file is ``question_bank/lessons/NN-<slug>.toml`` (``NN`` is its position); the
footnotes live in ``question_bank/footnotes.toml`` as ``[[footnote]]`` tables. Loading checks
the shape of every entry and raises ContentError naming the file and the field at fault.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from sinorus_learn.domain.questions import TOPICS

FOOTNOTE_COUNT = 32  # footnotes in the report, numbered 1..32
MIN_OBJECTIVES, MAX_OBJECTIVES = 4, 8  # per lesson (LEARNING.md section 1)
_OBJECTIVE_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+$")
_LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9-]+)\.toml$")


class ContentError(ValueError):
    """A lesson or footnote file that is malformed; the message names the file and field."""


@dataclass(frozen=True)
class Objective:
    """One thing a student can do after the lesson; mastery is measured against it."""

    id: str  # "<lesson slug>.<name>", stable: history and mastery hang on it
    text: str


@dataclass(frozen=True)
class KeyPoint:
    """One fact of a lesson, with the footnotes that back it (empty when in the body text)."""

    text: str
    footnotes: tuple[int, ...] = ()
    evidence: str = ""  # the report's own words behind the point, quoted verbatim


@dataclass(frozen=True)
class KeyFigure:
    """A number as printed in the report; ``table``/``row``/``column`` point at a data cell."""

    label: str
    value: str
    unit: str = ""
    date: str | None = None
    qualifier: str = ""  # "more than", "about", ... as the report hedges the number
    footnotes: tuple[int, ...] = ()
    table: str | None = None
    row: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class Person:
    """A person or an organisation named in a lesson, and the part it plays."""

    name: str
    role: str


@dataclass(frozen=True)
class Lesson:
    """One report section, retold in the project's own words."""

    slug: str
    title: str
    section: str  # the report's heading, exactly
    position: int
    summary: str
    key_points: tuple[KeyPoint, ...]
    key_figures: tuple[KeyFigure, ...]
    people: tuple[Person, ...]
    organisations: tuple[Person, ...]
    sources: tuple[int, ...]
    part: str | None = None  # the enclosing heading, for subsections
    objectives: tuple[Objective, ...] = ()

    @property
    def cited_footnotes(self) -> frozenset[int]:
        """Return every footnote cited by a key point or a key figure."""
        cited = [n for point in self.key_points for n in point.footnotes]
        cited += [n for figure in self.key_figures for n in figure.footnotes]
        return frozenset(cited)


@dataclass(frozen=True)
class Footnote:
    """A report footnote: where it is referenced, what it cites and what it says."""

    number: int
    lesson: str
    citation: str  # bibliographic details as printed; empty when the note cites nothing
    note: str
    same_source_as: int | None = None


_MISSING: Any = object()


class _Reader:
    """Typed access to one TOML table, raising ContentError that names file and field."""

    def __init__(self, data: dict[str, Any], file: Path, where: str = "") -> None:
        self.data = data
        self.file = file
        self.where = where

    def fail(self, field: str, message: str) -> ContentError:
        """Build the error for ``field``."""
        return ContentError(f"{self.file.name}: {self.where}{field}: {message}")

    def get(self, field: str, kind: type, default: Any = _MISSING) -> Any:
        """Return ``field`` checked to be of ``kind``; absent means ``default`` or an error."""
        if field not in self.data:
            if default is _MISSING:
                raise self.fail(field, "missing field")
            return default
        value = self.data[field]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(field, f"expected {_KIND_NAMES[kind]}, got {type(value).__name__}")
        return value

    def only(self, *fields: str) -> None:
        """Raise on a field not in ``fields`` (a misspelt field would otherwise be ignored)."""
        for field in self.data:
            if field not in fields:
                raise self.fail(field, f"unknown field (expected one of {', '.join(fields)})")

    def text(self, field: str) -> str:
        """Return a required, non-blank string field."""
        value: str = self.get(field, str)
        if not value.strip():
            raise self.fail(field, "must not be empty")
        return value

    def footnotes(self, field: str) -> tuple[int, ...]:
        """Return a list of footnote numbers, each within 1..FOOTNOTE_COUNT."""
        numbers = self.get(field, list, [])
        for number in numbers:
            if isinstance(number, bool) or not isinstance(number, int):
                raise self.fail(field, f"footnote {number!r} is not a number")
            self.check_footnote(field, number)
        return tuple(numbers)

    def check_footnote(self, field: str, number: int) -> None:
        """Raise when ``number`` is not a footnote of the report."""
        if not 1 <= number <= FOOTNOTE_COUNT:
            raise self.fail(field, f"footnote {number} is not in 1..{FOOTNOTE_COUNT}")

    def tables(self, field: str) -> list[_Reader]:
        """Return the array of tables ``field`` as readers (empty when absent)."""
        readers = []
        for index, item in enumerate(self.get(field, list, [])):
            if not isinstance(item, dict):
                raise self.fail(field, f"entry {index + 1} is not a table")
            readers.append(_Reader(item, self.file, f"{field}[{index + 1}]."))
        return readers


_KIND_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "a table"}


def _key_figure(reader: _Reader) -> KeyFigure:
    reader.only(*(f.name for f in fields(KeyFigure)))
    ref = [reader.get(name, str, None) for name in ("table", "row", "column")]
    if any(ref) and not all(ref):
        raise reader.fail("table", "table, row and column must be given together")
    return KeyFigure(
        label=reader.text("label"),
        value=reader.text("value"),
        unit=reader.get("unit", str, ""),
        date=reader.get("date", str, None),
        qualifier=reader.get("qualifier", str, ""),
        footnotes=reader.footnotes("footnotes"),
        table=ref[0],
        row=ref[1],
        column=ref[2],
    )


def _key_point(reader: _Reader) -> KeyPoint:
    reader.only("text", "footnotes", "evidence")
    return KeyPoint(
        text=reader.text("text"),
        footnotes=reader.footnotes("footnotes"),
        evidence=reader.get("evidence", str, ""),
    )


def _objectives(reader: _Reader, slug: str) -> tuple[Objective, ...]:
    """Read the lesson's 4-8 objectives: ids unique and of this lesson, texts not empty."""
    objectives: list[Objective] = []
    for item in reader.tables("objectives"):
        item.only("id", "text")
        objective = Objective(id=item.text("id"), text=item.text("text"))
        if not _OBJECTIVE_ID.match(objective.id) or not objective.id.startswith(f"{slug}."):
            raise item.fail("id", f"{objective.id!r} must look like '{slug}.<name>'")
        if any(o.id == objective.id for o in objectives):
            raise item.fail("id", f"duplicate objective id {objective.id!r}")
        objectives.append(objective)
    if not MIN_OBJECTIVES <= len(objectives) <= MAX_OBJECTIVES:
        raise reader.fail(
            "objectives",
            f"a lesson needs {MIN_OBJECTIVES} to {MAX_OBJECTIVES} objectives, "
            f"found {len(objectives)}",
        )
    return tuple(objectives)


def _person(reader: _Reader) -> Person:
    reader.only("name", "role")
    return Person(name=reader.text("name"), role=reader.text("role"))


def parse_lesson(data: dict[str, Any], file: Path) -> Lesson:
    """Build a Lesson from the parsed TOML of ``file``; raise ContentError when malformed."""
    reader = _Reader(data, file)
    reader.only(*(f.name for f in fields(Lesson)))
    slug = reader.text("slug")
    if slug not in TOPICS:
        raise reader.fail("slug", f"unknown slug {slug!r} (expected one of {', '.join(TOPICS)})")
    key_points = tuple(_key_point(r) for r in reader.tables("key_points"))
    if not key_points:
        raise reader.fail("key_points", "a lesson needs at least one key point")
    return Lesson(
        slug=slug,
        title=reader.text("title"),
        section=reader.text("section"),
        position=reader.get("position", int),
        summary=reader.text("summary"),
        key_points=key_points,
        key_figures=tuple(_key_figure(r) for r in reader.tables("key_figures")),
        people=tuple(_person(r) for r in reader.tables("people")),
        organisations=tuple(_person(r) for r in reader.tables("organisations")),
        sources=reader.footnotes("sources"),
        part=reader.get("part", str, None),
        objectives=_objectives(reader, slug),
    )


def objectives_by_topic(lessons: list[Lesson]) -> dict[str, tuple[str, ...]]:
    """Map each lesson slug (a topic) to its objective ids, in the lesson's order."""
    return {lesson.slug: tuple(o.id for o in lesson.objectives) for lesson in lessons}


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{file.name}: not valid TOML: {exc}") from exc


def load_lesson(file: Path) -> Lesson:
    """Load one lesson file, checking that its name matches its position and slug."""
    lesson = parse_lesson(_read_toml(file), file)
    match = _LESSON_FILE.match(file.name)
    if not match:
        raise ContentError(f"{file.name}: file name must look like NN-<slug>.toml")
    if match.group(2) != lesson.slug:
        raise ContentError(f"{file.name}: slug: {lesson.slug!r} does not match the file name")
    if int(match.group(1)) != lesson.position:
        raise ContentError(f"{file.name}: position: {lesson.position} does not match the file name")
    return lesson


def load_lessons(directory: Path) -> list[Lesson]:
    """Load every ``*.toml`` lesson in ``directory``, sorted by position."""
    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    positions: dict[int, str] = {}
    for file in sorted(directory.glob("*.toml")):
        lesson = load_lesson(file)
        if lesson.slug in seen:
            raise ContentError(
                f"{file.name}: slug: duplicate slug {lesson.slug!r} (also in {seen[lesson.slug]})"
            )
        if lesson.position in positions:
            raise ContentError(
                f"{file.name}: position: duplicate position {lesson.position} "
                f"(also in {positions[lesson.position]})"
            )
        seen[lesson.slug] = positions[lesson.position] = file.name
        lessons.append(lesson)
    return sorted(lessons, key=lambda lesson: lesson.position)


def _footnote(reader: _Reader) -> Footnote:
    reader.only(*(f.name for f in fields(Footnote)))
    number: int = reader.get("number", int)
    reader.check_footnote("number", number)
    lesson = reader.text("lesson")
    if lesson not in TOPICS:
        raise reader.fail("lesson", f"unknown slug {lesson!r}")
    same: int | None = reader.get("same_source_as", int, None)
    if same is not None:
        reader.check_footnote("same_source_as", same)
    return Footnote(
        number=number,
        lesson=lesson,
        citation=reader.get("citation", str, ""),
        note=reader.text("note"),
        same_source_as=same,
    )


def load_footnotes(path: Path) -> dict[int, Footnote]:
    """Load the ``[[footnote]]`` tables of ``path``, keyed by number."""
    footnotes: dict[int, Footnote] = {}
    for reader in _Reader(_read_toml(path), path).tables("footnote"):
        footnote = _footnote(reader)
        if footnote.number in footnotes:
            raise reader.fail("number", f"duplicate footnote {footnote.number}")
        footnotes[footnote.number] = footnote
    return dict(sorted(footnotes.items()))


def content_problems(lessons: list[Lesson], footnotes: dict[int, Footnote]) -> list[str]:
    """List cross-file inconsistencies between lessons and footnotes (empty when none)."""
    problems = [
        f"footnote {n} is missing" for n in range(1, FOOTNOTE_COUNT + 1) if n not in footnotes
    ]
    by_slug = {lesson.slug: lesson for lesson in lessons}
    for lesson in lessons:
        for number in sorted(lesson.cited_footnotes - set(lesson.sources)):
            problems.append(f"{lesson.slug}: footnote {number} is cited but not in sources")
        for number in sorted(set(lesson.sources) - set(footnotes)):
            problems.append(f"{lesson.slug}: source footnote {number} does not exist")
    for footnote in footnotes.values():
        owner = by_slug.get(footnote.lesson)
        if owner is not None and footnote.number not in owner.sources:
            problems.append(
                f"footnote {footnote.number} belongs to {footnote.lesson} but is not in its sources"
            )
    return problems


def lesson_hash(lesson: Lesson) -> str:
    """Return a stable hash of everything a learner reads in ``lesson``."""
    blob = json.dumps(asdict(lesson), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
