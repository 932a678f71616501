"""Site search, the pure part: reading a query, the passages indexed, the marked snippet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinorus_learn.domain.content import load_lessons
from sinorus_learn.domain.search import (
    KINDS,
    MARK_END,
    MARK_START,
    MAX_QUERY_CHARS,
    MAX_WORDS,
    date_label,
    highlighted,
    parse_query,
    passages,
)
from sinorus_learn.domain.tables import load_tables, timeline_entries

BANK = Path(__file__).resolve().parents[2] / "question_bank"
# What fts5() may produce: double-quoted runs of letters and digits, nothing else.
FTS5_SAFE = re.compile(r'^"[^\W_]+(?: [^\W_]+)*"(?: "[^\W_]+(?: [^\W_]+)*")*$')


@pytest.mark.parametrize(
    ("typed", "phrases"),
    [
        ("oil", ("oil",)),
        ("  Amur   islands ", ("Amur", "islands")),
        ('"strategic partnership" 1996', ("strategic partnership", "1996")),
        ("Su-27", ("Su-27",)),
        ('NEAR(oil gas) AND "x', ("NEAR(oil", "gas)", "AND", "x")),
        ("-oil OR gas*", ("-oil", "OR", "gas*")),
        ("tab\there\x00nul", ("tab", "here", "nul")),
    ],
)
def test_queries_become_phrases(typed: str, phrases: tuple[str, ...]) -> None:
    assert parse_query(typed).phrases == phrases


def test_each_engine_gets_quoted_phrases() -> None:
    query = parse_query('Su-27 "strategic partnership" NEAR(')
    assert query.fts5() == '"su 27" "strategic partnership" "near"'
    assert query.websearch() == '"Su-27" "strategic partnership" "NEAR("'


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "Type a word"),
        ("   \x00\x1f ", "Type a word"),
        ("*", "punctuation alone"),
        ('"" ( ) - ^ : *', "punctuation alone"),
        ("x" * (MAX_QUERY_CHARS + 1), f"at most {MAX_QUERY_CHARS} characters"),
        ("word " * (MAX_WORDS + 1), f"at most {MAX_WORDS} words"),
    ],
)
def test_queries_with_nothing_to_search_say_why(typed: str, problem: str) -> None:
    query = parse_query(typed)
    assert problem in query.problem and query.phrases == ()


@given(st.text(max_size=MAX_QUERY_CHARS + 20))
def test_any_text_gives_safe_engine_queries_or_a_reason(typed: str) -> None:
    query = parse_query(typed)
    assert bool(query.problem) != bool(query.phrases)
    if query.phrases:
        assert FTS5_SAFE.match(query.fts5()), query.fts5()
        websearch = query.websearch()
        assert not re.search(r"[\x00-\x1f\x7f\ud800-\udfff]", websearch)
        assert websearch.count('"') == 2 * len(query.phrases)


def _merged(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbours of the same kind (unmarked neighbours are one run of text)."""
    merged: list[tuple[str, bool]] = []
    for text, hit in parts:
        if not text:
            continue
        if merged and merged[-1][1] == hit and not hit:
            merged[-1] = (merged[-1][0] + text, hit)
        else:
            merged.append((text, hit))
    return merged


@given(st.lists(st.tuples(st.text(st.characters(exclude_characters="\x02\x03")), st.booleans())))
def test_marked_snippets_split_back_into_their_parts(pieces: list[tuple[str, bool]]) -> None:
    snippet = "".join(f"{MARK_START}{t}{MARK_END}" if hit else t for t, hit in pieces)
    assert _merged(list(highlighted(snippet))) == _merged(pieces)


def test_date_labels_keep_the_reports_precision() -> None:
    assert date_label(1991, 12, 25) == "25 December 1991"
    assert date_label(1989, 5, None) == "May 1989"
    assert date_label(1996, None, None) == "1996"


def test_every_lesson_part_and_timeline_event_is_a_passage() -> None:
    lessons = load_lessons(BANK / "lessons")
    events = timeline_entries(load_tables(BANK / "tables"))
    found = passages(lessons, events)
    assert len({p.key for p in found}) == len(found)
    assert [p.position for p in found] == list(range(len(found)))
    assert {p.kind for p in found} == set(KINDS)
    for lesson in lessons:
        mine = [p for p in found if p.topic == lesson.slug and p.kind != "event"]
        assert sum(p.kind == "key_point" for p in mine) == len(lesson.key_points)
        assert sum(p.kind == "key_figure" for p in mine) == len(lesson.key_figures)
        assert {p.anchor for p in mine if p.kind == "objective"} == {
            f"obj-{o.id}" for o in lesson.objectives
        }
    timeline = [p for p in found if p.kind == "event"]
    assert [p.anchor for p in timeline] == [f"event-{e.key}" for e in events]
    assert not any(re.search(r"[\x00-\x1f]", p.body) for p in found)
