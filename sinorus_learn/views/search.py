"""Search across lessons and the timeline (open to everyone, as the lessons are)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from sinorus_learn.domain.search import KINDS
from sinorus_learn.services import search

bp = Blueprint("search", __name__)


@bp.get("/search")
def results() -> str:
    """Search the lessons' passages and the timeline for ``q``."""
    query = request.args.get("q")
    result = search.search(query) if query is not None else None
    return render_template(
        "search/results.html",
        query=result.query if result else "",
        result=result,
        kinds=KINDS,
    )
