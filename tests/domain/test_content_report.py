"""The lessons against the report itself: sections, footnotes, numbers, tables, own words.

The report lives outside the repository (``../shared/report/china-and-russia.md``; the
SINORUS_REPORT environment variable overrides it). Without it these tests skip, unless CI is set.
"""

from __future__ import annotations

import bisect
import csv
import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from sinorus_learn.domain.content import (
    FOOTNOTE_COUNT,
    Footnote,
    Lesson,
    load_footnotes,
    load_lessons,
)
from tests.conftest import require_shared

REPO_ROOT = Path(__file__).resolve().parents[2]
BANK = REPO_ROOT / "question_bank"
REPORT = Path(
    os.environ.get("SINORUS_REPORT")
    or REPO_ROOT.parent / "shared" / "report" / "china-and-russia.md"
)

# Headings that open no lesson: the one whose lessons are its subsections is detected from the
# heading levels; the appendix holds only Table 1, which belongs with military cooperation.
APPENDIX = "Appendix"
APPENDIX_LESSON = "military"
SHINGLE = 12  # this many consecutive words shared with the report counts as copying

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.M)
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


@dataclass(frozen=True)
class Heading:
    """A Markdown heading of the report and where it starts."""

    level: int
    text: str
    offset: int


@pytest.fixture(scope="module")
def report() -> str:
    """Return the report text, skipping (or failing under CI) when it is absent."""
    require_shared(REPORT.is_file(), f"report not found at {REPORT} (set SINORUS_REPORT)")
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lessons() -> list[Lesson]:
    return load_lessons(BANK / "lessons")


@pytest.fixture(scope="module")
def footnotes() -> dict[int, Footnote]:
    return load_footnotes(BANK / "footnotes.toml")


def normalise(text: str) -> str:
    """Undo Markdown escapes, links, emphasis and typographic quotes; collapse whitespace."""
    text = re.sub(r"\[[^\]]*\]\(([^)]*)\)", r"\1", text)
    text = text.replace("\\", "").replace("*", "")
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return re.sub(r"\s+", " ", text)


def headings(report: str) -> list[Heading]:
    """Return every heading with ``**bold**`` markers stripped."""
    return [
        Heading(len(m.group(1)), m.group(2).replace("**", "").strip(), m.start())
        for m in HEADING.finditer(report)
    ]


def is_table_caption(report: str, heading: Heading) -> bool:
    """Tell whether the first line under ``heading`` is a tab-separated table row."""
    after = report[heading.offset :].splitlines()[1:]
    first = next((line for line in after if line.strip()), "")
    return "\t" in first


def section_headings(report: str) -> list[Heading]:
    """Return the headings that open a lesson, in report order."""
    candidates = [
        h
        for h in headings(report)
        if h.level > 1 and h.text != APPENDIX and not is_table_caption(report, h)
    ]
    return [
        h
        for h, following in zip(candidates, [*candidates[1:], None], strict=True)
        if following is None or following.level <= h.level  # a parent's lessons are its children
    ]


def section_texts(report: str, lessons: list[Lesson]) -> dict[str, str]:
    """Map each lesson slug to the report text under its heading (footnote pages included)."""
    slug_of = {lesson.section: lesson.slug for lesson in lessons}
    starts = [(h.offset, slug_of[h.text]) for h in section_headings(report)]
    appendix = next(h.offset for h in headings(report) if h.text == APPENDIX)
    starts = sorted([*starts, (appendix, APPENDIX_LESSON)])
    bounds = [*[offset for offset, _ in starts[1:]], len(report)]
    texts: dict[str, str] = {}
    for (start, slug), end in zip(starts, bounds, strict=True):
        texts[slug] = texts.get(slug, "") + report[start:end]
    return texts


def lesson_at(report: str, lessons: list[Lesson], offset: int) -> str:
    """Return the slug of the lesson whose section contains ``offset``."""
    slug_of = {lesson.section: lesson.slug for lesson in lessons}
    opening = section_headings(report)
    index = bisect.bisect_right([h.offset for h in opening], offset) - 1
    return slug_of[opening[index].text]


def footnote_bodies(report: str) -> dict[int, str]:
    """Return the text of each footnote (the line that starts with its marker)."""
    return {
        int(m.group(1)): m.group(2) for m in re.finditer(r"^<sup>(\d+)</sup> (.*)$", report, re.M)
    }


def lesson_source_text(report: str, lessons: list[Lesson], lesson: Lesson) -> str:
    """Return the section text plus the footnotes the lesson relies on, normalised."""
    bodies = footnote_bodies(report)
    notes = " ".join(bodies[n] for n in lesson.sources)
    return normalise(section_texts(report, lessons)[lesson.slug] + " " + notes)


def number_pattern(value: str, qualifier: str = "") -> re.Pattern[str]:
    """Match ``value`` as a whole number (not part of a longer one), after its qualifier."""
    prefix = rf"{re.escape(qualifier)}\s+" if qualifier else ""
    return re.compile(rf"(?<![\w.,]){prefix}{re.escape(normalise(value))}(?![\w]|[.,]\d)")


def words(text: str) -> list[str]:
    """Split text into lower-case words, ignoring punctuation."""
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", normalise(text).lower())


def shingles(text: str) -> set[tuple[str, ...]]:
    """Return every run of SHINGLE consecutive words."""
    tokens = words(text)
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def lesson_texts(lesson: Lesson) -> list[str]:
    """Return every piece of prose in a lesson, quotations removed."""
    pieces = [lesson.title, lesson.summary, *(p.text for p in lesson.key_points)]
    pieces += [f.label for f in lesson.key_figures]
    pieces += [p.role for p in (*lesson.people, *lesson.organisations)]
    return [QUOTED.sub(" ", normalise(piece)) for piece in pieces]


# --- sections ---------------------------------------------------------------------------------


def test_each_report_section_has_exactly_one_lesson(report: str, lessons: list[Lesson]) -> None:
    sections = [h.text for h in section_headings(report)]
    assert len(sections) == len(set(sections)) == 9
    assert [lesson.section for lesson in lessons] == sections


def test_lesson_parts_are_report_headings(report: str, lessons: list[Lesson]) -> None:
    texts = {h.text for h in headings(report)}
    parts = {lesson.part for lesson in lessons if lesson.part}
    assert parts and parts <= texts


# --- footnotes --------------------------------------------------------------------------------


def test_report_has_the_footnotes_we_expect(report: str) -> None:
    assert sorted(footnote_bodies(report)) == list(range(1, FOOTNOTE_COUNT + 1))


def test_each_footnote_belongs_to_the_lesson_that_references_it(
    report: str, lessons: list[Lesson], footnotes: dict[int, Footnote]
) -> None:
    for number, footnote in footnotes.items():
        reference = report.index(f"<sup>{number}</sup>")
        assert report[reference - 1] != "\n", f"footnote {number}: body found before reference"
        assert lesson_at(report, lessons, reference) == footnote.lesson, number


def test_citations_are_as_printed(report: str, footnotes: dict[int, Footnote]) -> None:
    bodies = {n: normalise(body) for n, body in footnote_bodies(report).items()}
    for number, footnote in footnotes.items():
        for part in filter(None, footnote.citation.split("; ")):
            assert normalise(part).rstrip(".") in bodies[number], number


def test_same_source_footnotes_cite_the_same_work(footnotes: dict[int, Footnote]) -> None:
    for footnote in footnotes.values():
        if footnote.same_source_as:
            other = footnotes[footnote.same_source_as]
            assert footnote.lesson and other.citation
            title = re.search(r"\"([^\"]+?),?\"", normalise(other.citation))
            assert title and title.group(1) in normalise(footnote.citation)


# --- numbers ----------------------------------------------------------------------------------


def test_key_figures_are_printed_in_their_section(report: str, lessons: list[Lesson]) -> None:
    missing = []
    for lesson in lessons:
        text = lesson_source_text(report, lessons, lesson)
        for figure in lesson.key_figures:
            if not number_pattern(figure.value, figure.qualifier).search(text):
                missing.append(f"{lesson.slug}: {figure.qualifier} {figure.value} ({figure.label})")
    assert missing == []


def test_key_figure_dates_are_the_reports(report: str, lessons: list[Lesson]) -> None:
    for lesson in lessons:
        text = lesson_source_text(report, lessons, lesson)
        for figure in lesson.key_figures:
            for year in re.findall(r"\d{4}", figure.date or ""):
                assert re.search(rf"(?<!\d){year}(?!\d)", text), (lesson.slug, figure.label, year)


def test_key_figures_cite_footnotes_that_mention_them(report: str, lessons: list[Lesson]) -> None:
    bodies = {n: normalise(body) for n, body in footnote_bodies(report).items()}
    for lesson in lessons:
        for figure in lesson.key_figures:
            for number in figure.footnotes:
                body = bodies[number]
                if re.search(r"\d", body) and figure.value[0].isdigit():
                    # A data footnote backs the number itself; a pure citation backs the sentence.
                    in_body = number_pattern(figure.value).search(body)
                    in_text = number_pattern(figure.value, figure.qualifier).search(
                        lesson_source_text(report, lessons, lesson)
                    )
                    assert in_body or in_text, (number, figure.label)


# --- tables -----------------------------------------------------------------------------------


def table_cell(table: str, row: str, column: str) -> str:
    """Return a raw table cell, through the tables module when it exists, else the TSV file."""
    directory = BANK / "tables"
    try:
        tables = importlib.import_module("sinorus_learn.domain.tables")
    except ModuleNotFoundError:
        tables = None
    if tables is not None and hasattr(tables, "load_tables"):
        return str(tables.load_tables(directory)[table].cell(row, column))
    with (directory / f"{table}.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    header = rows[0]
    match = [r for r in rows[1:] if r and r[0] == row]
    assert len(match) == 1, f"{table}: row {row!r} found {len(match)} times"
    return match[0][header.index(column)]


def test_table_figures_equal_the_table_cells(lessons: list[Lesson]) -> None:
    referenced = [(lesson, f) for lesson in lessons for f in lesson.key_figures if f.table]
    assert referenced
    for lesson, figure in referenced:
        assert figure.table and figure.row and figure.column
        cell = table_cell(figure.table, figure.row, figure.column).strip()
        if cell.startswith(">"):  # a lower bound as printed: the lesson must say "more than"
            assert figure.qualifier == "more than", (lesson.slug, figure.label)
            cell = cell[1:]
        found = number_pattern(cell).search(normalise(figure.value))
        assert found, (lesson.slug, figure.label, cell)


# --- own words --------------------------------------------------------------------------------


def test_lessons_do_not_copy_the_report(report: str, lessons: list[Lesson]) -> None:
    source = shingles(QUOTED.sub(" ", normalise(report)))
    copied = [
        (lesson.slug, " ".join(run))
        for lesson in lessons
        for piece in lesson_texts(lesson)
        for run in shingles(piece) & source
    ]
    assert copied == []


def test_footnote_notes_do_not_copy_the_report(report: str, footnotes: dict[int, Footnote]) -> None:
    source = shingles(QUOTED.sub(" ", normalise(report)))
    copied = [
        n for n, f in footnotes.items() if shingles(QUOTED.sub(" ", normalise(f.note))) & source
    ]
    assert copied == []


def test_copy_check_catches_a_copied_sentence(report: str) -> None:
    source = shingles(report)
    sentence = (
        "China-Russia trade and economic links have become a central dimension of the current"
    )
    assert shingles(sentence) & source


def test_evidence_is_quoted_from_the_section_it_names(report: str, lessons: list[Lesson]) -> None:
    """A hand-written question's evidence occurs in its ``source.section`` (text or the
    footnotes it names), so the feedback's provenance line names and links the right section.
    (A key point's evidence may come from any section: the overview connects them all.)"""
    from sinorus_learn.domain.authored import load_authored
    from sinorus_learn.domain.evidence import ReportText

    texts = section_texts(report, lessons)
    bodies = footnote_bodies(report)
    sections = {slug: ReportText.from_markdown(text) for slug, text in texts.items()}

    def found(evidence: str, section: str, notes: tuple[int, ...]) -> bool:
        notes_text = ReportText.from_markdown("\n\n".join(bodies.get(n, "") for n in notes))
        return sections[section].contains(evidence) or notes_text.contains(evidence)

    misplaced = [
        f"{spec.key}: section {spec.source.section!r}"
        for spec in load_authored(BANK / "questions")
        if spec.evidence and not found(spec.evidence, spec.source.section, spec.source.footnotes)
    ]
    assert misplaced == [], "\n".join(misplaced)
