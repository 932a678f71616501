"""Site search: the passages of lessons and the timeline, reading a query, marking the match.

The database does the matching (SQLite FTS5 or PostgreSQL full-text); this module decides what
is indexed and turns whatever a visitor types into a query neither engine can choke on: each
whitespace-separated chunk (or quoted text) is one phrase, every phrase is required, and no
character is an operator.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sinorus_learn.domain.content import Lesson
from sinorus_learn.domain.tables import TimelineEntry

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
# The engines wrap each match in these (neither can occur in a passage: see ``_clean``); the
# page escapes the text and draws the marks, so a passage can never inject markup.
MARK_START, MARK_END = "\x02", "\x03"
KINDS = {
    "summary": "Summary",
    "objective": "Objective",
    "key_point": "Key point",
    "key_figure": "Key figure",
    "event": "Timeline",
}
_CHUNK = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]+")  # and lone surrogates: not UTF-8
_MARKS = re.compile(f"([{MARK_START}{MARK_END}])")


@dataclass(frozen=True)
class Passage:
    """One searchable passage and the place it is shown: a lesson anchor or a timeline entry."""

    key: str  # stable and unique: what the index is synced by
    kind: str  # one of KINDS
    topic: str  # the lesson's slug (for an event, the lesson it belongs to)
    title: str  # the lesson's title, or the event's date for the timeline
    anchor: str  # the element id on the lesson or timeline page
    body: str
    position: int  # the site's reading order, to break ties in ranking


@dataclass(frozen=True)
class SearchQuery:
    """A query as the engines receive it: phrases, all required; or why there is none."""

    text: str  # as typed, white space folded and control characters dropped
    phrases: tuple[str, ...] = ()  # each as typed, less quotes
    problem: str = ""

    def fts5(self) -> str:
        """Return the SQLite FTS5 MATCH expression: each phrase's words double-quoted, so no
        word is an operator (AND, NEAR, *, -, ^, :)."""
        return " ".join(f'"{" ".join(_words(phrase))}"' for phrase in self.phrases)

    def websearch(self) -> str:
        """Return the text for PostgreSQL's websearch_to_tsquery: each phrase double-quoted and
        left as typed, so its parser cuts "Su-27" or "1,680" as it cut the passages."""
        return " ".join(f'"{phrase}"' for phrase in self.phrases)


def parse_query(text: str) -> SearchQuery:
    """Read a visitor's query; operators, quotes and control characters are never syntax."""
    text = _clean(text)
    if not text:
        return SearchQuery(
            text, problem="Type a word or two to search the lessons and the timeline."
        )
    if len(text) > MAX_QUERY_CHARS:
        return SearchQuery(
            text, problem=f"That search is too long: use at most {MAX_QUERY_CHARS} characters."
        )
    phrases = tuple(
        chunk.strip() for quoted, bare in _CHUNK.findall(text) if _words(chunk := quoted or bare)
    )
    if not phrases:
        return SearchQuery(
            text, problem="Search for words or numbers: punctuation alone finds nothing."
        )
    if sum(len(_words(phrase)) for phrase in phrases) > MAX_WORDS:
        return SearchQuery(text, problem=f"Use at most {MAX_WORDS} words.")
    return SearchQuery(text, phrases)


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def highlighted(snippet: str) -> tuple[tuple[str, bool], ...]:
    """Split an engine's snippet into (text, matched) parts at the match marks."""
    parts: list[tuple[str, bool]] = []
    inside = False
    for piece in _MARKS.split(snippet):
        if piece in (MARK_START, MARK_END):
            inside = piece == MARK_START
        elif piece:
            parts.append((piece, inside))
    return tuple(parts)


def date_label(year: int, month: int | None, day: int | None) -> str:
    """Format a date at the precision the report gives it ("25 December 1991", "1996")."""
    parts = [str(day)] if day else []
    if month:
        parts.append(calendar.month_name[month])
    return " ".join([*parts, str(year)])


def passages(lessons: Sequence[Lesson], events: Iterable[TimelineEntry]) -> list[Passage]:
    """Return every passage the search finds, in the site's reading order."""
    found: list[Passage] = []
    for lesson in lessons:
        found += _lesson_passages(lesson, len(found))
    for event in events:
        found.append(
            Passage(
                key=f"timeline/{event.key}",
                kind="event",
                topic=event.topic,
                title=date_label(event.year, event.month, event.day),
                anchor=f"event-{event.key}",
                body=_clean(event.event),
                position=len(found),
            )
        )
    return found


def _lesson_passages(lesson: Lesson, start: int) -> list[Passage]:
    texts: list[tuple[str, str, str]] = []  # kind, anchor, text
    paragraphs = [p for p in re.split(r"\n\s*\n", lesson.summary) if p.strip()]
    texts += [("summary", "summary-h", p) for p in paragraphs]
    texts += [("objective", f"obj-{o.id}", o.text) for o in lesson.objectives]
    texts += [("key_point", f"point-{n}", p.text) for n, p in enumerate(lesson.key_points, start=1)]
    for n, fig in enumerate(lesson.key_figures, start=1):
        figure = " ".join(x for x in (fig.qualifier, fig.value, fig.unit) if x)
        when = f" ({fig.date})" if fig.date and fig.date not in figure else ""
        texts.append(("key_figure", f"figure-{n}", f"{fig.label}: {figure}{when}"))
    return [
        Passage(
            key=f"{lesson.slug}/{kind}/{index}",
            kind=kind,
            topic=lesson.slug,
            title=lesson.title,
            anchor=anchor,
            body=_clean(text),
            position=start + index,
        )
        for index, (kind, anchor, text) in enumerate(texts)
    ]


def _clean(text: str) -> str:
    """Fold white space and drop control characters (the match marks among them)."""
    return " ".join(_CONTROL.sub(" ", text).split())
