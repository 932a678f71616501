"""Site search over lessons and the timeline: one full-text query, chosen by the database.

SQLite matches with FTS5 (porter stemming) and cuts the snippet with ``snippet()``; PostgreSQL
matches ``to_tsvector('english', body)`` against ``websearch_to_tsquery`` and cuts it with
``ts_headline``. Both mark the match with the domain's marks, which the page draws after
escaping the text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, column, delete, func, insert, literal_column, select, table, text

from sinorus_learn.domain.search import MARK_END, MARK_START, Passage, highlighted, parse_query
from sinorus_learn.extensions import db
from sinorus_learn.models.content import SEARCH_CONFIG, SEARCH_FTS, SearchPassage, body_vector

MAX_HITS = 30
SNIPPET_TOKENS = 24  # FTS5 allows at most 64
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True, kw_only=True)
class SearchHit:
    """A matching passage: where it is shown and its text cut around the match, marked."""

    kind: str
    topic: str
    title: str
    anchor: str
    parts: tuple[tuple[str, bool], ...]  # (text, is it the match)


@dataclass(frozen=True)
class SearchResult:
    """What a search found, best first; or, when nothing could be searched, why."""

    query: str  # as read: control characters dropped
    hits: tuple[SearchHit, ...] = ()
    problem: str = ""


def search(query: str, limit: int = MAX_HITS) -> SearchResult:
    """Find the passages matching ``query``, best first, in one query (none when the query
    holds nothing to search for)."""
    parsed = parse_query(query)
    if parsed.problem:
        return SearchResult(parsed.text, problem=parsed.problem)
    if db.session.get_bind().dialect.name == "postgresql":
        statement, match = _postgresql_search(), parsed.websearch()
    else:
        statement, match = _sqlite_search(), parsed.fts5()
    rows = db.session.execute(statement.limit(limit), {"q": match}).all()
    hits = tuple(
        SearchHit(
            kind=row.kind,
            topic=row.topic,
            title=row.title,
            anchor=row.anchor,
            parts=highlighted(row.snippet),
        )
        for row in rows
    )
    return SearchResult(parsed.text, hits)


def _columns() -> tuple[Any, ...]:
    return (SearchPassage.kind, SearchPassage.topic, SearchPassage.title, SearchPassage.anchor)


def _sqlite_search() -> Any:
    fts = table(SEARCH_FTS, column("rowid"), column("rank"))
    index: Any = literal_column(SEARCH_FTS)  # FTS5 names its table as the MATCH's left operand
    snippet = func.snippet(index, 0, MARK_START, MARK_END, "…", SNIPPET_TOKENS).label("snippet")
    return (
        select(*_columns(), snippet)
        .select_from(fts)
        .join(SearchPassage, SearchPassage.id == fts.c.rowid)
        .where(index.op("MATCH")(bindparam("q")))
        .order_by(fts.c.rank, SearchPassage.position)
    )


def _postgresql_search() -> Any:
    query = func.websearch_to_tsquery(SEARCH_CONFIG, bindparam("q"))
    vector = body_vector()
    headline = func.ts_headline(SEARCH_CONFIG, SearchPassage.body, query, HEADLINE_OPTIONS).label(
        "snippet"
    )
    return (
        select(*_columns(), headline)
        .where(vector.op("@@")(query))
        .order_by(func.ts_rank(vector, query).desc(), SearchPassage.position)
    )


def sync_index(passages: Sequence[Passage]) -> int | None:
    """Make the search passages these, inside the caller's write transaction; return how many
    were written, or None when they were already the same (then nothing is written)."""
    rows = [dataclasses.asdict(p) for p in passages]
    names = list(rows[0]) if rows else ["key"]
    stored = db.session.execute(
        select(*(getattr(SearchPassage, n) for n in names)).order_by(SearchPassage.position)
    )
    if [dict(zip(names, row, strict=True)) for row in stored] == rows:
        return None
    db.session.execute(delete(SearchPassage))
    if rows:
        db.session.execute(insert(SearchPassage), rows)
    if db.session.get_bind().dialect.name == "sqlite":
        # An external-content FTS5 table is not told of changes: rebuild it from the rows.
        db.session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    return len(rows)
