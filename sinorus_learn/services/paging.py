"""Pages of a list without counting the whole list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sinorus_learn.extensions import db


@dataclass(frozen=True)
class Page:
    """One page of rows. Asking for one row more than the page shows tells whether a next page
    exists, so a page costs the same however long the list grows (no COUNT over all of it)."""

    items: list[Any]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(query: Any, page: int, per_page: int) -> Page:
    """Run ``query`` (ordered) for page ``page`` (1-based; anything lower is page 1)."""
    page = max(page, 1)
    rows = db.session.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).all()
    return Page(items=list(rows[:per_page]), page=page, has_next=len(rows) > per_page)
