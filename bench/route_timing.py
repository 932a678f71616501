"""Time (and optionally profile) one route in-process on a database seeded by bench/run.py.

    python bench/route_timing.py DATABASE ROUTE [-n 60] [--profile]

DATABASE is a seeded SQLite file (e.g. one kept by `bench/run.py --cache DIR`; it is copied
first, so the cache stays clean) or a PostgreSQL URL. ROUTE is one of bench/run.py's routes:
home, topics, lesson, timeline, oil_table, arms_table, practice, exam, start, question, answer,
progress, review_queue, history, attempt_review, dashboard, or bare_read and bare_write (the
bench's reference endpoints, for an in-process ratio). Prints wall and CPU milliseconds and
SQL statements per request; with --profile, a pyinstrument call tree (pip install pyinstrument).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from client import CSRF_RE, GET_PATHS, PHASES, WRITES  # noqa: E402
from seeding import PASSWORD, answer_items, ensure_admin, finished_attempts  # noqa: E402

ROUTES = PHASES
STUDENT = "student3@bench.example"


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
    ensure_admin(url)
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
    client, token = logged_in(app, STUDENT)
    start = {"csrf_token": token, "mode": "lesson", "topic": "military", "count": 10}
    work: list[tuple[str, dict[str, Any]]] = []
    if args.route in ("answer", "question"):
        ids = []
        for _ in range(args.n // 10 + 2):
            location = client.post("/quiz/start", data=start).headers["Location"]
            ids.append(int(location.split("/")[2]))
        work = answer_items(url, ids)
    if args.route == "dashboard":
        client, token = logged_in(app, "instructor@bench.example")

    paths = {
        **GET_PATHS,
        "lesson": "/lessons/energy",
        "dashboard": "/instructor/classes/1",
        "attempt_review": f"/quiz/{finished_attempts(url, STUDENT)[0]}/review",
    }

    def one(i: int) -> Any:
        if args.route == "answer":
            return client.post(work[i][0], data={**work[i][1], "csrf_token": token})
        if args.route == "start":
            return client.post("/quiz/start", data=start)
        if args.route == "bare_write":
            return client.post("/bench/write")
        if args.route == "question":
            return client.get(work[i][0])
        return client.get(paths[args.route])

    one(0)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    sql = set()
    expect = 302 if args.route in WRITES else 200
    for i in range(1, args.n):
        response = one(i)
        assert response.status_code == expect, response.status_code
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
