"""Jinja filters shared by every page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, g, request, url_for
from flask_login import current_user
from markupsafe import Markup

from sinorus_learn.content import bank_dir, current_catalogue
from sinorus_learn.domain import confidence, qtypes
from sinorus_learn.domain.content import Footnote, load_footnotes
from sinorus_learn.domain.markup import plain_text, render_inline, render_markdown, render_text
from sinorus_learn.domain.qtypes.explain import ticked_of
from sinorus_learn.domain.search import MAX_QUERY_CHARS, date_label
from sinorus_learn.services import problems
from sinorus_learn.services.catalogue import TABLE_PAGES


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(lambda text: Markup(render_markdown(text)), "markdown")  # noqa: S704 - sanitised by nh3
    app.add_template_filter(lambda text: Markup(render_inline(text)), "markdown_inline")  # noqa: S704 - sanitised by nh3
    app.add_template_filter(lambda text, fmt: Markup(render_text(text, fmt)), "rich")  # noqa: S704 - sanitised by nh3
    app.add_template_filter(plain_text, "plain_text")
    app.add_template_filter(event_date, "event_date")
    app.add_template_filter(footnotes_for, "footnotes")
    app.add_template_filter(correct_answer, "correct_answer")
    app.add_template_filter(response_text, "response_text")
    app.add_template_filter(duration, "duration")
    app.add_template_filter(lambda level: level.label, "level_label")
    app.add_template_global(link, "link")
    app.add_template_filter(row_labels, "row_labels")
    app.add_template_filter(option_feedback, "option_feedback")
    app.add_template_filter(answer_partial, "answer_partial")
    app.add_template_filter(lambda qtype: qtypes.get(qtype).self_assessed, "self_assessed")
    app.add_template_filter(answer_key, "answer_key")
    app.add_template_filter(ticked_points, "ticked_points")
    app.add_template_filter(needs_checklist, "needs_checklist")
    app.add_template_global(frozenset(TABLE_PAGES), "table_pages")
    app.add_template_global(unread_replies, "unread_replies")
    app.add_template_global(MAX_QUERY_CHARS, "search_max_chars")
    app.add_template_global(CERTAINTY_LEVELS, "certainty_levels")
    app.add_template_filter(confidence_mark, "confidence_mark")
    app.add_template_filter(confidence.signed, "signed")


def link(endpoint: str, **values: str) -> str:
    """``url_for`` for the links every page repeats (navigation, lessons, static files).

    The URL map does not change while the app runs, so a link depends only on the endpoint,
    its values and the request's script root: memoised, as a page built 15-50 of them at about
    15 microseconds each. Not for values a visitor chooses (they would fill the cache).
    """
    return _link(request.script_root, endpoint, tuple(sorted(values.items())))


@lru_cache(maxsize=1024)
def _link(_script_root: str, endpoint: str, values: tuple[tuple[str, str], ...]) -> str:
    return url_for(endpoint, **dict(values))


def unread_replies() -> int:
    """How many instructor replies the logged-in learner has not read (once per request)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_replies" not in g:
        g.unread_replies = problems.unread_reply_count(current_user.id)
    return int(g.unread_replies)


# Each level with the marks it earns, right and wrong: what the question page offers.
CERTAINTY_LEVELS = tuple(
    (level, confidence.signed(right), confidence.signed(confidence.WRONG_MARK[level]))
    for level, right in confidence.RIGHT_MARK.items()
)


def confidence_mark(response: Any) -> str:
    """Describe a response's confidence mark: "+3 (very sure, right)"; "" if not rated."""
    if response.certainty is None or response.cbm_mark is None:
        return ""
    certainty = confidence.Certainty(response.certainty)
    return confidence.describe(response.cbm_mark, certainty, response.score)


def correct_answer(version: Any) -> str:
    """Describe a question version's correct answer for a person."""
    kind = qtypes.get(version.qtype)
    return kind.format_answer(kind.answer_from_json(version.answer))


def response_text(stored: Any, qtype: str) -> str:
    """Describe a learner's stored response for a person."""
    kind = qtypes.get(qtype)
    return kind.response_text(kind.response_from_json(stored))


def answer_key(version: Any) -> Any:
    """Return a question version's key in its type's model (an explain question's checklist)."""
    return qtypes.get(version.qtype).answer_from_json(version.answer)


def ticked_points(stored: Any) -> frozenset[int]:
    """Return the checklist points ticked in a stored explain response."""
    return frozenset(ticked_of(stored) or ())


def needs_checklist(version: Any) -> bool:
    """Tell whether an explain question lacks its checklist (no quiz serves it until added)."""
    return bool(getattr(answer_key(version), "needs_checklist", False))


def answer_partial(qtype: str) -> str:
    """Return the template partial with the answer controls of a question type."""
    return qtypes.get(qtype).partial


def duration(attempt: Any) -> str:
    """Format how long an attempt took (minutes and seconds)."""
    if attempt.finished_at is None:
        return "—"
    seconds = int((attempt.finished_at - attempt.started_at).total_seconds())
    minutes, seconds = divmod(max(seconds, 0), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def event_date(event: Any) -> str:
    """Format a timeline date at the precision the report gives it."""
    return date_label(event.year, event.month, event.day)


@lru_cache(maxsize=4)
def _footnotes_at(path: str) -> dict[int, Footnote]:
    return load_footnotes(Path(path))


def footnotes_for(numbers: list[int]) -> list[Footnote]:
    """Return the footnotes with these numbers, in order."""
    notes = _footnotes_at(str(bank_dir() / "footnotes.toml"))
    return [notes[n] for n in sorted(set(numbers)) if n in notes]


def row_labels(rows: list[str], table_id: str) -> list[str]:
    """Name table rows as the report prints them (never the internal row key)."""
    table = current_catalogue().tables().get(table_id)
    labels = []
    for key in rows or ():
        try:
            labels.append(table.row(key).label if table is not None else key)
        except KeyError:
            labels.append(key.replace("|", ", "))
    return labels


def option_feedback(version: Any, stored: Any) -> list[str]:
    """The feedback written for the wrong options this answer picked (a known misreading)."""
    pairs = dict((option, text) for option, text in (version.option_feedback or ()))
    if not pairs:
        return []
    picked = qtypes.get(version.qtype).response_from_json(stored)
    chosen = [picked] if isinstance(picked, str) else list(picked or ())
    return [pairs[option] for option in chosen if isinstance(option, str) and option in pairs]
