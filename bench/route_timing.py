"""Time (and optionally profile) one route in-process on a database seeded by bench/run.py.

    python bench/route_timing.py DATABASE ROUTE [-n 60] [--profile]

DATABASE is a seeded SQLite file (e.g. one kept by `bench/run.py --cache DIR`; it is copied
first, so the cache stays clean) or a PostgreSQL URL. ROUTE is lesson, question, answer,
progress, start, dashboard, bare_read or bare_write (the bench's reference endpoints, for an
in-process ratio). Prints wall and CPU milliseconds and SQL statements per request; with
--profile, a pyinstrument call tree (pip install pyinstrument).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from run import PASSWORD  # noqa: E402

CSRF_RE = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
ROUTES = (
    "lesson",
    "question",
    "answer",
    "progress",
    "start",
    "dashboard",
    "bare_read",
    "bare_write",
)


def make_app(url: str) -> Any:
    """The app as bench_wsgi.py configures it: bare endpoints and the SQL counter on."""
    from sqlalchemy import create_engine, text

    from sinorus_learn import create_app

    engine = create_engine(url)
    with engine.begin() as conn:  # bench/run.py creates it at seed time; older copies lack it
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, note VARCHAR(60))"
            )
        )
    engine.dispose()
    return create_app(
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "BENCH_ENDPOINTS": True,
            "RATELIMIT_ENABLED": False,
        }
    )


def logged_in(app: Any, email: str) -> tuple[Any, str]:
    client = app.test_client()
    token = CSRF_RE.search(client.get("/account/login").data).group(1).decode()
    form = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/account/login", data=form).status_code == 302
    return client, CSRF_RE.search(client.get("/topics").data).group(1).decode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("route", choices=ROUTES)
    parser.add_argument("-n", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    url = args.database
    if "://" not in url:
        copy = Path(tempfile.mkdtemp()) / "profile.db"
        shutil.copyfile(url, copy)
        url = f"sqlite:///{copy}"
    app = make_app(url)
    client, token = logged_in(app, "student3@bench.example")
    start = {"csrf_token": token, "mode": "lesson", "topic": "military", "count": 10}
    work: list[tuple[str, dict[str, Any]]] = []
    if args.route in ("answer", "question"):
        from run import _answer_items

        ids = []
        for _ in range(args.n // 10 + 2):
            location = client.post("/quiz/start", data=start).headers["Location"]
            ids.append(int(location.split("/")[2]))
        work = _answer_items(url, ids)
    if args.route == "dashboard":
        client, token = logged_in(app, "instructor@bench.example")

    def one(i: int) -> Any:
        if args.route == "answer":
            return client.post(work[i][0], data={**work[i][1], "csrf_token": token})
        if args.route == "start":
            return client.post("/quiz/start", data=start)
        if args.route == "bare_write":
            return client.post("/bench/write")
        path = {
            "lesson": "/lessons/energy",
            "progress": "/progress",
            "dashboard": "/instructor/classes/1",
            "question": work[i][0] if work else "",
            "bare_read": "/bench/read",
        }[args.route]
        return client.get(path)

    one(0)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    sql = set()
    for i in range(1, args.n):
        response = one(i)
        assert response.status_code in (200, 302)
        sql.add(response.headers.get("X-SQL-Count"))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler:
        profiler.stop()
        print(profiler.output_text(color=False))
    per = 1000 / (args.n - 1)
    print(
        f"{args.route}: {wall * per:.2f} ms wall, {cpu * per:.2f} ms CPU per request, "
        f"SQL {'/'.join(sorted(s or '?' for s in sql))}"
    )


if __name__ == "__main__":
    main()
