"""Bare endpoints and an SQL-statement counter for the benchmark (bench/run.py).

Registered only when the config flag BENCH_ENDPOINTS is true; never in a real deployment.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, g, has_app_context
from sqlalchemy import event

from sinorus_learn.extensions import csrf, db
from sinorus_learn.services import bench

bp = Blueprint("bench", __name__, url_prefix="/bench")
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@bp.get("/read")
def bare_read() -> str:
    """One read by primary key, a short string back."""
    return bench.bare_read()


@bp.post("/write")
@csrf.exempt
def bare_write() -> str:
    """One read by primary key, one insert, one commit."""
    bench.bare_write()
    return "ok"


def _count_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if has_app_context() and not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
        g.sql_count = g.get("sql_count", 0) + 1


def _sql_count_header(response: Response) -> Response:
    response.headers["X-SQL-Count"] = str(g.get("sql_count", 0))
    return response


def init_app(app: Flask) -> None:
    """Add the bare endpoints and the X-SQL-Count header (statements run for this request)."""
    app.register_blueprint(bp)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_statement)
    app.after_request(_sql_count_header)
