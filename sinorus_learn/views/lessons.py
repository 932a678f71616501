"""Topics, lessons, the timeline and the data-table pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from sinorus_learn.content import current_catalogue
from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.domain.tables import NOTATION
from sinorus_learn.services import catalogue
from sinorus_learn.services.catalogue import TABLE_PAGES

bp = Blueprint("lessons", __name__)


@bp.get("/topics")
def topics() -> str:
    """List the lessons by topic."""
    return render_template("lessons/topics.html", lessons=catalogue.list_lessons())


@bp.get("/lessons/<slug>")
def lesson(slug: str) -> str:
    """Show one lesson with its timeline events."""
    item = catalogue.get_lesson(slug)
    if item is None:
        abort(404)
    events = catalogue.timeline_events(current_catalogue(), topic=slug)
    return render_template("lessons/lesson.html", lesson=item, events=events, topics=TOPICS)


@bp.get("/timeline")
def timeline() -> str:
    """Show the report's whole timeline."""
    return render_template(
        "lessons/timeline.html",
        events=catalogue.timeline_events(current_catalogue()),
        topics=TOPICS,
    )


@bp.get("/tables")
def tables() -> str:
    """List the report's data tables."""
    data = current_catalogue().tables()
    return render_template(
        "lessons/tables.html", tables=[data[t] for t in TABLE_PAGES], topics=TOPICS
    )


@bp.get("/tables/<table_id>")
def table(table_id: str) -> str:
    """Show one data table with its charts; ``row`` highlights a row."""
    if table_id not in TABLE_PAGES:
        abort(404)
    content = current_catalogue()
    data = content.tables()[table_id]
    highlight = request.args.get("row", "")
    return render_template(
        "lessons/table.html",
        table=data,
        charts=content.charts(table_id),
        notation=NOTATION if table_id == "arms_transfers" else {},
        highlight=highlight,
        topics=TOPICS,
    )
