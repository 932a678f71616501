"""Read-only views of the content: lessons, the timeline and the data tables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from sinorus_learn.charts import BarChart, table_charts
from sinorus_learn.domain.bank_check import REPORT_FILE
from sinorus_learn.domain.content import Objective, load_lessons
from sinorus_learn.domain.evidence import ReportText
from sinorus_learn.domain.tables import Table, load_tables, timeline_entries
from sinorus_learn.extensions import db
from sinorus_learn.models import Lesson, TimelineEvent

# The data tables that have a page (the timeline has its own), in the report's order.
TABLE_PAGES = (
    "border_islands",
    "crude_oil_imports",
    "trade_2006",
    "export_commodities",
    "arms_transfers",
)


def list_lessons() -> list[Any]:
    """Return the lessons in the report's order: slug, title and how many key points and key
    figures each has, counted by the database (decoding every lesson's body cost more than
    the rest of the topics page)."""
    count = func.json_array_length
    query = select(
        Lesson.slug,
        Lesson.title,
        count(Lesson.body["key_points"]).label("key_points"),
        count(Lesson.body["key_figures"]).label("key_figures"),
    ).order_by(Lesson.position)
    return list(db.session.execute(query))


def get_lesson(slug: str) -> Lesson | None:
    """Return one lesson by its slug."""
    return db.session.scalar(select(Lesson).where(Lesson.slug == slug))


def timeline_events(topic: str | None = None) -> list[TimelineEvent]:
    """Return the report's dated events, oldest first; events of one year in the timeline
    file's order (the report's), since a month-less event may follow a dated one (the arms
    embargo came after the June 1989 crackdown)."""
    query = select(TimelineEvent)
    if topic:
        query = query.where(TimelineEvent.topic == topic)
    order = _timeline_order(str(bank_dir() / "tables"))
    events = db.session.scalars(query)
    return sorted(events, key=lambda e: (e.year, order.get(e.key, len(order)), e.month or 0))


@lru_cache(maxsize=4)
def _timeline_order(directory: str) -> dict[str, int]:
    entries = timeline_entries(_tables_at(directory))
    return {entry.key: index for index, entry in enumerate(entries)}


def bank_dir() -> Path:
    """Return the question_bank directory this app serves."""
    return Path(current_app.config["QUESTION_BANK_DIR"])


@lru_cache(maxsize=4)
def _tables_at(directory: str) -> dict[str, Table]:
    return load_tables(Path(directory))


def tables() -> dict[str, Table]:
    """Return the data tables (parsed once per process: they change only with a deploy)."""
    return _tables_at(str(bank_dir() / "tables"))


@lru_cache(maxsize=8)
def _charts_at(directory: str, table_id: str) -> tuple[BarChart, ...]:
    return tuple(table_charts(_tables_at(directory)[table_id]))


def charts(table_id: str) -> tuple[BarChart, ...]:
    """Return the charts drawn beside a table's page: laid out and drawn once per process, as
    the tables are read once (parsing the arms table per request took a sixth of its page)."""
    return _charts_at(str(bank_dir() / "tables"), table_id)


@lru_cache(maxsize=4)
def _objectives_at(directory: str) -> dict[str, tuple[Objective, ...]]:
    return {lesson.slug: lesson.objectives for lesson in load_lessons(Path(directory))}


def lesson_objectives() -> dict[str, tuple[Objective, ...]]:
    """Map each topic to its lesson's objectives, read from the lesson files once per process
    (as the bank check reads them), so an import or a form is checked against what loads."""
    return _objectives_at(str(bank_dir() / "lessons"))


def objective_ids() -> dict[str, tuple[str, ...]]:
    """Map each topic to its lesson's objective ids, in the lesson's order."""
    return {topic: tuple(o.id for o in found) for topic, found in lesson_objectives().items()}


@lru_cache(maxsize=2)
def _report_at(path: str) -> ReportText:
    return ReportText.from_file(Path(path))


def report_text() -> ReportText:
    """Return the report's text, to check a quoted piece of evidence against (read once)."""
    return _report_at(str(bank_dir() / REPORT_FILE))
