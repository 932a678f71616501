"""Issue 19.6: search across lessons and the timeline, one full-text query (SQLite FTS5 or
PostgreSQL), the matching passage shown and linked; odd queries never a 500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sinorus_learn.domain.search import Passage
from sinorus_learn.extensions import db
from sinorus_learn.models import SearchPassage
from sinorus_learn.services import search
from sinorus_learn.services.content_sync import load_content

pytestmark = pytest.mark.usefixtures("content")

HIT = re.compile(r'<li>\s*<a href="([^"]+)">([^<]+)</a>\s*<span class="badge">([^<]+)</span>')
ODD_QUERIES = [
    "",
    "   ",
    '"',
    '""',
    "*",
    "oil*",
    "NEAR(",
    "NEAR(oil gas, 2)",
    "oil AND",
    "OR",
    "NOT oil",
    "-",
    "^oil",
    "body:oil",
    "{body}: oil",
    "(oil",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\x00",
    "oil\x00gas\x1b[31m",
    "x" * 1000,
    "oil " * 250,
    "🙂 ☃ 中国",
    "\\",
    "%",
    "_",
]


def results(client, query: str):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200, query
    return response.get_data(as_text=True)


def test_a_key_point_is_found_marked_and_linked_to_its_place(client) -> None:
    page = results(client, "Sovremenny destroyers")
    hits = HIT.findall(page)
    assert hits, page
    href, _, kind = hits[0]
    assert re.fullmatch(r"/lessons/military#(point|figure)-\d+|/lessons/military#summary-h", href)
    assert "<mark>Sovremenny</mark>" in page and "<mark>destroyers</mark>" in page
    path, anchor = href.split("#")
    assert f'id="{anchor}"' in client.get(path).get_data(as_text=True)


def test_a_timeline_event_links_to_its_entry(client) -> None:
    page = results(client, "Nerchinsk")
    links = [href for href, _, kind in HIT.findall(page) if kind == "Timeline"]
    assert links == ["/timeline#event-nerchinsk"]
    assert 'id="event-nerchinsk"' in client.get("/timeline").get_data(as_text=True)
    assert "<mark>Nerchinsk</mark>" in page


def test_objectives_and_key_figures_are_searched(client) -> None:
    kinds = {kind for _, _, kind in HIT.findall(results(client, "sanctions"))}
    assert "Objective" in kinds
    figures = [
        href for href, _, kind in HIT.findall(results(client, "Amur")) if kind == "Key figure"
    ]
    assert figures and all(re.fullmatch(r"/lessons/[a-z-]+#figure-\d+", h) for h in figures)
    lesson, anchor = figures[0].split("#")
    assert f'<tr id="{anchor}">' in client.get(lesson).get_data(as_text=True)


def test_stemming_finds_other_forms_of_a_word(client) -> None:
    page = results(client, "sanctioned")
    assert re.search(r"<mark>sanctions?</mark>", page, re.I)


def test_a_quoted_phrase_must_match_as_a_phrase(client) -> None:
    phrase = HIT.findall(results(client, '"strategic partnership"'))
    words = HIT.findall(results(client, "partnership strategic"))
    assert phrase and len(phrase) <= len(words)


def test_passages_are_escaped_and_only_the_match_is_marked(app, client) -> None:
    with app.app_context():
        stored = list(db.session.scalars(select(SearchPassage).order_by(SearchPassage.position)))
        hostile = Passage(
            key="test/hostile",
            kind="key_point",
            topic="energy",
            title='<img src=x onerror="alert(1)">',
            anchor='point-1"><script>alert(2)</script>',
            body="Pipelines <script>alert(3)</script> & zebras",
            position=len(stored),
        )
        keep = [
            Passage(p.key, p.kind, p.topic, p.title, p.anchor, p.body, p.position) for p in stored
        ]
        assert search.sync_index([*keep, hostile]) == len(stored) + 1
        db.session.commit()
    page = results(client, "zebras")
    assert "<script>" not in page.split('<ol class="search-results">')[1]
    assert "alert(3)" in page and "&amp; <mark>zebras</mark>" in page  # PostgreSQL drops tags
    assert "&lt;img src=x onerror=" in page
    assert "point-1%22%3E%3Cscript%3E" in page  # the anchor is a URL fragment, quoted


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_give_a_message_or_results_never_a_500(client, query: str) -> None:
    page = results(client, query)
    found = HIT.findall(page)
    message = re.search(r'<p[^>]*role="status">\s*(.+?)</p>', page, re.S)
    assert found or message, query
    assert "\x00" not in page


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300))
def test_random_queries_never_500(client, query: str) -> None:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200, repr(query)


def test_empty_or_too_long_queries_say_why(client) -> None:
    assert "Type a word or two" in results(client, "   ")
    assert "use at most 200 characters" in results(client, "x" * 1000)
    assert "punctuation alone finds nothing" in results(client, '"*" ( )')
    assert "Nothing in the lessons or the timeline matches" in results(client, "qwertyuiopzz")
    assert 'role="status"' not in client.get("/search").get_data(as_text=True)


def statements(counter) -> list[str]:
    """The statements run, less SQLite's BEGIN and the commits (transaction control)."""
    control = ("BEGIN", "COMMIT", "ROLLBACK")
    return [s for s in counter.statements if s.split()[0].upper() not in control]


def test_one_query_finds_the_results(app, client, count_queries) -> None:
    with app.app_context():
        with count_queries() as counter:
            found = search.search("oil pipeline")
        assert found.hits and len(statements(counter)) == 1, counter.statements
        with count_queries() as counter:
            assert search.search("*").problem
        assert counter.count == 0
    client.get("/search?q=warm")  # the first request compiles templates and reads nothing else
    with count_queries() as counter:
        assert HIT.search(results(client, "oil pipeline"))
    assert len(statements(counter)) == 1, counter.statements


def test_a_signed_in_search_adds_only_the_log_in_reads(client, auth, make_user, count_queries):
    auth.login(make_user().email)
    results(client, "oil")
    with count_queries() as counter:
        assert HIT.search(results(client, "oil pipeline"))
    searches = [s for s in counter.statements if "search_passages" in s]
    assert len(searches) == 1, counter.statements
    assert len(statements(counter)) <= 3, counter.statements  # the user, unread replies


@pytest.mark.parametrize("path", ["/", "/topics", "/lessons/energy", "/timeline", "/search"])
def test_every_page_has_the_search_box(client, auth, make_user, path: str) -> None:
    user = make_user("admin")  # a site without an admin sends "/" to the set-up page
    box = '<form method="get" action="/search" role="search" class="site-search">'
    assert box in client.get(path).get_data(as_text=True)
    auth.login(user.email)
    page = client.get(path).get_data(as_text=True)
    assert box in page and '<label for="site-search-q" class="visually-hidden">' in page


def test_loading_twice_leaves_the_index_alone_and_a_change_reindexes(app) -> None:
    bank = Path(app.config["QUESTION_BANK_DIR"])
    with app.app_context():
        before = list(db.session.scalars(select(SearchPassage.id).order_by(SearchPassage.id)))
        report = load_content(bank)
        assert report.counts["search passages unchanged"] == len(before) > 200
        assert list(db.session.scalars(select(SearchPassage.id).order_by(SearchPassage.id))) == (
            before
        )
        first = db.session.scalars(select(SearchPassage).order_by(SearchPassage.position)).first()
        first.body = "stale words only"
        db.session.commit()
        report = load_content(bank)
        assert report.counts["search passages indexed"] == len(before)
        assert search.search("stale words").hits == ()
        assert search.search("Nerchinsk").hits


def test_search_works_on_a_migrated_database(empty_app) -> None:
    with empty_app.app_context():
        upgrade()
        load_content(Path(empty_app.config["QUESTION_BANK_DIR"]))
        found = search.search("Nerchinsk treaty")
        assert ("event", "event-nerchinsk") in [(h.kind, h.anchor) for h in found.hits]
        assert all(any(match for _, match in h.parts) for h in found.hits)
        db.session.remove()
