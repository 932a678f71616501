"""Read-only views of the content: lessons, the timeline and the data tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Catalogue:
    """The content one app serves, read from its question_bank folder once per process.

    The files are parsed once per folder (module-level memos keyed on the folder's path, so
    apps serving different folders in one process never share them); a Catalogue is only the
    folder, cheap to build on every request and hashable, so it can key a memo itself. The
    shell builds it from the app's config (``sinorus_learn.content.current_catalogue``).
    """

    bank: Path

    def tables(self) -> dict[str, Table]:
        """Return the data tables (parsed once per process: they change only with a deploy)."""
        return _tables_at(str(self.bank / "tables"))

    def charts(self, table_id: str) -> tuple[BarChart, ...]:
        """Return the charts drawn beside a table's page: laid out and drawn once per process,
        as the tables are read once (parsing the arms table per request took a sixth of its
        page)."""
        return _charts_at(str(self.bank / "tables"), table_id)

    def lesson_objectives(self) -> dict[str, tuple[Objective, ...]]:
        """Map each topic to its lesson's objectives, read from the lesson files once per
        process (as the bank check reads them), so an import or a form is checked against what
        loads."""
        return _objectives_at(str(self.bank / "lessons"))

    def objective_ids(self) -> dict[str, tuple[str, ...]]:
        """Map each topic to its lesson's objective ids, in the lesson's order."""
        lessons = self.lesson_objectives()
        return {topic: tuple(o.id for o in found) for topic, found in lessons.items()}

    def report_text(self) -> ReportText:
        """Return the report's text, to check a quoted piece of evidence against (read once)."""
        return _report_at(str(self.bank / REPORT_FILE))

    def timeline_order(self) -> dict[str, int]:
        """Map each timeline entry's key to its place in the timeline file (the report's
        order), read once per process."""
        return _timeline_order(str(self.bank / "tables"))


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


def timeline_events(catalogue: Catalogue, topic: str | None = None) -> list[TimelineEvent]:
    """Return the report's dated events, oldest first; events of one year in the timeline
    file's order (the report's), since a month-less event may follow a dated one (the arms
    embargo came after the June 1989 crackdown)."""
    query = select(TimelineEvent)
    if topic:
        query = query.where(TimelineEvent.topic == topic)
    order = catalogue.timeline_order()
    events = db.session.scalars(query)
    return sorted(events, key=lambda e: (e.year, order.get(e.key, len(order)), e.month or 0))


@lru_cache(maxsize=4)
def _timeline_order(directory: str) -> dict[str, int]:
    entries = timeline_entries(_tables_at(directory))
    return {entry.key: index for index, entry in enumerate(entries)}


@lru_cache(maxsize=4)
def _tables_at(directory: str) -> dict[str, Table]:
    return load_tables(Path(directory))


@lru_cache(maxsize=8)
def _charts_at(directory: str, table_id: str) -> tuple[BarChart, ...]:
    return tuple(table_charts(_tables_at(directory)[table_id]))


@lru_cache(maxsize=4)
def _objectives_at(directory: str) -> dict[str, tuple[Objective, ...]]:
    return {lesson.slug: lesson.objectives for lesson in load_lessons(Path(directory))}


@lru_cache(maxsize=2)
def _report_at(path: str) -> ReportText:
    return ReportText.from_file(Path(path))
