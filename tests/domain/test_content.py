"""The lesson and footnote loader: the shipped bank loads, malformed files fail clearly."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sinorus_learn.domain.content import (
    FOOTNOTE_COUNT,
    ContentError,
    Footnote,
    KeyPoint,
    Lesson,
    content_problems,
    lesson_hash,
    load_footnotes,
    load_lessons,
)
from sinorus_learn.domain.questions import TOPICS

BANK = Path(__file__).resolve().parents[2] / "question_bank"
LESSONS = BANK / "lessons"
FOOTNOTES = BANK / "footnotes.toml"

MINIMAL_LESSON = """\
slug = "overview"
title = "Overview"
section = "Overview"
position = 1
summary = "Two great powers, a long border."
sources = [1]

[[key_points]]
text = "Relations are said to be at their best."
footnotes = [1]

[[key_figures]]
label = "Border length"
value = "2,700"
unit = "miles"

[[objectives]]
id = "overview.point-1"
text = "Explain point 1"

[[objectives]]
id = "overview.point-2"
text = "Explain point 2"

[[objectives]]
id = "overview.point-3"
text = "Explain point 3"

[[objectives]]
id = "overview.point-4"
text = "Explain point 4"
"""


def write(directory: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``directory/name`` and return the path."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lessons() -> list[Lesson]:
    return load_lessons(LESSONS)


@pytest.fixture(scope="module")
def footnotes() -> dict[int, Footnote]:
    return load_footnotes(FOOTNOTES)


def test_one_lesson_per_topic_in_report_order(lessons: list[Lesson]) -> None:
    assert [lesson.slug for lesson in lessons] == list(TOPICS)
    assert [lesson.position for lesson in lessons] == list(range(1, len(TOPICS) + 1))


def test_lessons_have_the_promised_shape(lessons: list[Lesson]) -> None:
    for lesson in lessons:
        paragraphs = [p for p in re.split(r"\n\s*\n", lesson.summary.strip()) if p.strip()]
        assert 2 <= len(paragraphs) <= 4, lesson.slug
        assert 5 <= len(lesson.key_points) <= 9, lesson.slug
        assert lesson.key_figures, lesson.slug
        assert all(person.role for person in (*lesson.people, *lesson.organisations))


def test_every_footnote_is_present_once_and_cross_references_hold(
    lessons: list[Lesson], footnotes: dict[int, Footnote]
) -> None:
    assert sorted(footnotes) == list(range(1, FOOTNOTE_COUNT + 1))
    assert content_problems(lessons, footnotes) == []
    cited = set().union(*(lesson.cited_footnotes for lesson in lessons))
    assert cited <= set(footnotes)
    # Every footnote is somebody's source: nothing in the report goes unattributed.
    assert set().union(*(set(lesson.sources) for lesson in lessons)) == set(footnotes)


def test_footnotes_17_and_26_cite_the_same_interfax_piece(footnotes: dict[int, Footnote]) -> None:
    assert footnotes[26].same_source_as == 17
    same = [re.sub(r"[*’“”‘]", "", footnotes[n].citation.replace("’", "'")) for n in (17, 26)]
    assert same[0] == same[1]
    assert "Interfax-AVN, October 31, 2007" in same[0]


def test_data_footnotes_have_notes_and_citations_are_optional(
    footnotes: dict[int, Footnote],
) -> None:
    for number in (3, 4, 5):
        assert footnotes[number].note
    assert footnotes[3].citation == ""
    assert "130,040" in footnotes[3].note


def test_lesson_hash_is_stable_and_tracks_content(lessons: list[Lesson]) -> None:
    first = lessons[0]
    assert lesson_hash(first) == lesson_hash(load_lessons(LESSONS)[0])
    assert re.fullmatch(r"[0-9a-f]{16}", lesson_hash(first))
    changed = dataclasses.replace(first, key_points=(*first.key_points, KeyPoint(text="New fact.")))
    assert lesson_hash(changed) != lesson_hash(first)
    assert len({lesson_hash(lesson) for lesson in lessons}) == len(lessons)


def test_minimal_lesson_loads(tmp_path: Path) -> None:
    write(tmp_path, "01-overview.toml", MINIMAL_LESSON)
    (lesson,) = load_lessons(tmp_path)
    assert lesson.key_points[0].footnotes == (1,)
    figure = lesson.key_figures[0]
    assert (figure.value, figure.unit, figure.date, figure.table) == ("2,700", "miles", None, None)
    assert lesson.people == () and lesson.part is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('title = "Overview"\n', "", r"01-overview\.toml: title: missing field"),
        (
            'slug = "overview"',
            'slug = "oveview"',
            r"01-overview\.toml: slug: unknown slug 'oveview'",
        ),
        ("position = 1", 'position = "1"', r"position: expected an integer, got str"),
        ("position = 1", "position = 2", r"position: 2 does not match the file name"),
        (
            "footnotes = [1]",
            "footnotes = [33]",
            r"key_points\[1\]\.footnotes: footnote 33 is not in 1\.\.32",
        ),
        ("sources = [1]", "sources = [0]", r"sources: footnote 0 is not in 1\.\.32"),
        ('value = "2,700"', "value = 2700", r"key_figures\[1\]\.value: expected a string, got int"),
        ('label = "Border length"\n', "", r"key_figures\[1\]\.label: missing field"),
        (
            'unit = "miles"',
            'table = "border_islands"',
            r"table, row and column must be given together",
        ),
        (
            'summary = "Two great powers, a long border."',
            'summary = "  "',
            r"summary: must not be empty",
        ),
        ("position = 1", "position = 1\nposition = 2", r"01-overview\.toml: not valid TOML"),
        ("footnotes = [1]", "footnote = [1]", r"key_points\[1\]\.footnote: unknown field"),
        ('unit = "miles"', 'units = "miles"', r"key_figures\[1\]\.units: unknown field"),
    ],
)
def test_malformed_lesson_names_file_and_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in MINIMAL_LESSON
    write(tmp_path, "01-overview.toml", MINIMAL_LESSON.replace(old, new, 1))
    with pytest.raises(ContentError, match=message):
        load_lessons(tmp_path)


def test_lesson_without_key_points_is_rejected(tmp_path: Path) -> None:
    text = MINIMAL_LESSON.replace("[[key_points]]", "[[people]]").replace(
        'text = "Relations are said to be at their best."\nfootnotes = [1]',
        'name = "X"\nrole = "Y"',
    )
    write(tmp_path, "01-overview.toml", text)
    with pytest.raises(ContentError, match="key_points: a lesson needs at least one key point"):
        load_lessons(tmp_path)


def test_duplicate_slug_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "01-overview.toml", MINIMAL_LESSON)
    write(tmp_path, "02-overview.toml", MINIMAL_LESSON.replace("position = 1", "position = 2"))
    with pytest.raises(ContentError, match=r"02-overview\.toml: slug: duplicate slug 'overview'"):
        load_lessons(tmp_path)


def test_file_name_must_match_slug(tmp_path: Path) -> None:
    write(tmp_path, "01-economics.toml", MINIMAL_LESSON)
    with pytest.raises(ContentError, match=r"01-economics\.toml: slug: 'overview' does not match"):
        load_lessons(tmp_path)


def test_lessons_are_sorted_by_position_not_file_order(tmp_path: Path) -> None:
    second = (
        MINIMAL_LESSON.replace('"overview"', '"economics"')
        .replace('"overview.', '"economics.')
        .replace("position = 1", "position = 3")
    )
    write(tmp_path, "03-economics.toml", second)
    write(tmp_path, "01-overview.toml", MINIMAL_LESSON)
    assert [lesson.slug for lesson in load_lessons(tmp_path)] == ["overview", "economics"]


FOOTNOTE = '[[footnote]]\nnumber = {n}\nlesson = "{lesson}"\ncitation = ""\nnote = "A note."\n'


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([(0, "overview")], r"footnote\[1\]\.number: footnote 0 is not in 1\.\.32"),
        ([(33, "overview")], r"footnote\[1\]\.number: footnote 33 is not in 1\.\.32"),
        ([(1, "overview"), (1, "economics")], r"footnote\[2\]\.number: duplicate footnote 1"),
        ([(1, "russia")], r"footnote\[1\]\.lesson: unknown slug 'russia'"),
    ],
)
def test_malformed_footnotes_name_file_and_field(
    tmp_path: Path, entries: list[tuple[int, str]], message: str
) -> None:
    text = "\n".join(FOOTNOTE.format(n=n, lesson=lesson) for n, lesson in entries)
    path = write(tmp_path, "footnotes.toml", text)
    with pytest.raises(ContentError, match=rf"footnotes\.toml: {message}"):
        load_footnotes(path)


def test_footnote_without_note_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "footnotes.toml",
        FOOTNOTE.format(n=3, lesson="overview").replace('note = "A note."\n', ""),
    )
    with pytest.raises(ContentError, match=r"footnote\[1\]\.note: missing field"):
        load_footnotes(path)


def test_content_error_is_a_value_error() -> None:
    assert issubclass(ContentError, ValueError)


def test_content_problems_reports_cited_footnotes_missing_from_sources(tmp_path: Path) -> None:
    write(tmp_path, "01-overview.toml", MINIMAL_LESSON.replace("sources = [1]", "sources = []"))
    problems = content_problems(load_lessons(tmp_path), {})
    assert "overview: footnote 1 is cited but not in sources" in problems
    assert "footnote 32 is missing" in problems
