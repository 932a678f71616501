"""Benchmark Sinorus Learn under gunicorn: per-route throughput, latency and SQL per request.

    python bench/run.py [--size small|large|both] [--seconds N] [--rounds N] [--clients N]
                        [--db sqlite|postgres] [--cache DIR] [--large-students N] ...

For each size it builds a database (Alembic upgrade, content load, bulk seed through the models;
or a copy from --cache), starts gunicorn on loopback with BENCH_ENDPOINTS on and logs clients in.
Both sizes' servers run side by side, so their numbers are measured minutes closer together:
the run goes in --rounds rounds, and each round measures every phase (one route, every client
hitting it) on the small server and then at once on the large one, --seconds / --rounds each.
A noisy shared machine drifts by 2x over minutes; interleaving spreads that drift over every
route and size alike instead of letting it decide a ratio. Throughput is compared with two
bare endpoints: a read by primary key (for pages), and a read + insert + commit (for writes).
Each route's reference is measured on the same server just before it, in every round, for a
third of its time: a ratio then compares two windows seconds apart, not minutes. The bare rows
of the tables sum these windows. A realistic mixed phase follows per size, then one TARGET line
per target.

With --cache and the defaults (16 routes x 2 sizes x 9 s, their references, warm-ups and the
mix) a run takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PASSWORD = "bench-password-123"  # noqa: S105 - seeded benchmark accounts on loopback only

# URLs of the GET phases that need no per-client data
GET_PATHS = {
    "bare_read": "/bench/read",
    "home": "/",
    "topics": "/topics",
    "timeline": "/timeline",
    "oil_table": "/tables/crude_oil_imports",
    "arms_table": "/tables/arms_transfers",
    "practice": "/quiz/practice",
    "exam": "/quiz/exam",
    "progress": "/progress",
    "review_queue": "/review",
    "history": "/quiz/history",
}
ROUTE_LABELS = {
    "bare_read": "bare read (GET /bench/read)",
    "bare_write": "bare write (POST /bench/write)",
    "home": "home page (GET /)",
    "topics": "topics (GET /topics)",
    "lesson": "lesson page (GET /lessons/<slug>)",
    "timeline": "timeline (GET /timeline)",
    "oil_table": "oil table (GET /tables/crude_oil_imports)",
    "arms_table": "arms table (GET /tables/arms_transfers)",
    "practice": "practice form (GET /quiz/practice)",
    "exam": "exam form (GET /quiz/exam)",
    "start": "start quiz (POST /quiz/start)",
    "question": "quiz page (GET /quiz/<id>/q/<n>)",
    "answer": "submit answer (POST /quiz/<id>/q/<n>)",
    "progress": "progress page (GET /progress)",
    "review_queue": "review queue (GET /review)",
    "history": "attempt history (GET /quiz/history)",
    "attempt_review": "attempt review (GET /quiz/<id>/review)",
    "dashboard": "class dashboard (GET /instructor/classes/<id>)",
}
PHASES = tuple(ROUTE_LABELS)  # in this order: answers need the attempts that start began
BARE = ("bare_read", "bare_write")
MEASURED = tuple(p for p in PHASES if p not in BARE)  # each right after its reference
WRITES = ("start", "answer")
REFERENCE_SHARE = 1 / 3  # of a route's measured seconds, for its reference just before it
REFERENCE_WARMUP = 0.25
NOT_STUDENT_PAGES = ("bare_read", "bare_write", "dashboard", *WRITES)
STUDENT_PAGES = tuple(p for p in PHASES if p not in NOT_STUDENT_PAGES)
STUDENT_ROUTES = STUDENT_PAGES + WRITES
PAGES = STUDENT_PAGES + ("dashboard",)
MIX_FACTOR = 3


# ----------------------------------------------------------------------------- sizes and seed


@dataclass(frozen=True)
class Size:
    name: str
    students: int
    attempts: int  # finished attempts per student
    answers: int  # questions (and responses) per attempt
    class_size: int

    def describe(self) -> str:
        attempts = self.students * self.attempts
        return (
            f"{self.students:,} students x {self.attempts} attempts x {self.answers} answers "
            f"({attempts:,} attempts, {attempts * self.answers:,} responses), "
            f"classes of {self.class_size}"
        )


def make_app(url: str) -> Any:
    from sinorus_learn import create_app

    return create_app(
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )


def create_database(kind: str, size: Size, workdir: Path) -> str:
    """Return the URL of a new, empty database for this size."""
    if kind == "sqlite":
        path = workdir / f"bench-{size.name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = f"sinorus_bench_{size.name}"
    with psycopg.connect("postgresql://postgres@127.0.0.1/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1/{name}"


def _cache_path(args: argparse.Namespace, size: Size) -> Path | None:
    """Where --cache keeps a seeded SQLite database: keyed by size, schema and content."""
    if not args.cache or args.db != "sqlite":
        return None
    digest = hashlib.sha256()
    for folder in (REPO / "migrations" / "versions", REPO / "question_bank"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.name.encode() + path.read_bytes())
    key = (
        f"{size.name}-{size.students}x{size.attempts}x{size.answers}-c{size.class_size}"
        f"-s{args.seed}-{digest.hexdigest()[:12]}"
    )
    return Path(args.cache) / f"{key}.db"


def seed(url: str, size: Size, rng: random.Random) -> dict[str, Any]:
    """Migrate, load the content and bulk-insert users, classes and their history."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select, text
    from werkzeug.security import generate_password_hash

    from sinorus_learn.domain import presentation, scheduling
    from sinorus_learn.extensions import db
    from sinorus_learn.models import (
        Attempt,
        AttemptItem,
        Classroom,
        Enrollment,
        Lesson,
        Question,
        QuestionVersion,
        Response,
        ReviewCard,
        User,
    )
    from sinorus_learn.services.catalogue import bank_dir
    from sinorus_learn.services.content_sync import load_content

    app = make_app(url)
    now = datetime.now(UTC)
    with app.app_context():
        upgrade(directory=str(REPO / "migrations"))
        load_content(bank_dir())
        bank = db.session.execute(
            select(
                Question.id,
                Question.topic,
                QuestionVersion.id,
                QuestionVersion.qtype,
                QuestionVersion.choices,
                QuestionVersion.answer,
            )
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.status == "active")
        ).all()
        slugs = list(db.session.scalars(select(Lesson.slug).order_by(Lesson.position)))
        by_topic: dict[str, list[Any]] = defaultdict(list)
        for row in bank:
            by_topic[row[1]].append(row)
        topics = [t for t, rows in by_topic.items() if len(rows) >= size.answers]
        shown = {r[0]: presentation.present(r[3], r[4], r[5], rng) for r in bank}
        fresh = {r[0]: scheduling.new_card_state(card_id=r[0], now=now) for r in bank}
        password_hash = generate_password_hash(PASSWORD)
        users = [
            dict(
                id=1,
                email="instructor@bench.example",
                display_name="Instructor",
                password_hash=password_hash,
                role="instructor",
                created_at=now,
            )
        ]
        users += [
            dict(
                id=i + 2,
                email=f"student{i + 1}@bench.example",
                display_name=f"Student {i + 1:05d}",
                password_hash=password_hash,
                role="student",
                created_at=now,
            )
            for i in range(size.students)
        ]
        db.session.execute(insert(User), users)
        classes = math.ceil(size.students / size.class_size)
        db.session.execute(
            insert(Classroom),
            [
                dict(
                    id=c + 1,
                    name=f"Bench class {c + 1}",
                    join_code=f"B{c + 1:07d}",
                    instructor_id=1,
                    created_at=now,
                )
                for c in range(classes)
            ],
        )
        db.session.execute(
            insert(Enrollment),
            [
                dict(classroom_id=i // size.class_size + 1, user_id=i + 2, joined_at=now)
                for i in range(size.students)
            ],
        )
        db.session.commit()
        ids = {"attempt": 0, "item": 0, "response": 0, "card": 0}
        batch = max(1, 20_000 // max(1, size.attempts * size.answers))
        cards_total = 0
        for first in range(0, size.students, batch):
            rows = _history(
                range(first + 2, min(first + batch, size.students) + 2),
                size,
                rng,
                now,
                topics,
                by_topic,
                shown,
                fresh,
                ids,
            )
            for model, dicts in zip(
                (Attempt, AttemptItem, Response, ReviewCard), rows, strict=True
            ):
                if dicts:
                    db.session.execute(insert(model), dicts)
            cards_total += len(rows[3])
            db.session.commit()
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                for table in (
                    "users",
                    "classrooms",
                    "attempts",
                    "attempt_items",
                    "responses",
                    "review_cards",
                ):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
                conn.execute(
                    text("CREATE TABLE bench_writes (id SERIAL PRIMARY KEY, note VARCHAR(60))")
                )
            else:
                conn.execute(
                    text("CREATE TABLE bench_writes (id INTEGER PRIMARY KEY, note VARCHAR(60))")
                )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # PostgreSQL: VACUUM too, or the autovacuum that a bulk load sets off (every
            # inserted page still to be marked all-visible) runs during the measurements.
            conn.execute(text("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"))
        db.engine.dispose()  # the last connection to close folds the WAL into the file
    return {
        "slugs": slugs,
        "topics": topics,
        "classes": classes,
        "cards": cards_total,
        "questions": len(bank),
    }


def _history(
    users: range,
    size: Size,
    rng: random.Random,
    now: datetime,
    topics: list[str],
    by_topic: dict[str, list[Any]],
    shown: dict[int, Any],
    fresh: dict[int, Any],
    ids: dict[str, int],
) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Rows for ``users``: finished attempts, their items and responses, and review cards."""
    attempts, items, responses, cards = [], [], [], []
    for user_id in users:
        seen: dict[int, dict[str, Any]] = {}  # question id: the card's running record
        for _ in range(size.attempts):
            ids["attempt"] += 1
            topic = rng.choice(topics)
            started = now - timedelta(days=rng.uniform(0, 60))
            chosen = rng.sample(by_topic[topic], size.answers)
            total = 0.0
            for position, (qid, _topic, vid, qtype, _choices, answer) in enumerate(chosen, 1):
                ids["item"] += 1
                ids["response"] += 1
                correct = rng.random() < 0.7
                given = answer
                if not correct and qtype == "multiple_choice":
                    given = next((c for c in shown[qid]["choices"] if c != answer), answer)
                elif not correct and qtype == "true_false":
                    given = not answer
                total += 1.0 if correct else 0.0
                items.append(
                    dict(
                        id=ids["item"],
                        attempt_id=ids["attempt"],
                        position=position,
                        question_id=qid,
                        question_version_id=vid,
                        presented=shown[qid],
                    )
                )
                responses.append(
                    dict(
                        id=ids["response"],
                        attempt_item_id=ids["item"],
                        attempt_id=ids["attempt"],
                        user_id=user_id,
                        question_id=qid,
                        question_version_id=vid,
                        answer=given,
                        score=1.0 if correct else 0.0,
                        correct=correct,
                        time_ms=rng.randrange(60_000),
                        rating=3 if correct else 1,
                        was_due=False,
                        answered_at=started + timedelta(seconds=20 * position),
                    )
                )
                record = seen.setdefault(
                    qid, {"reps": 0, "lapses": 0, "wrong": 0, "due_reviews": 0, "due_passed": 0}
                )
                record["reps"] += 1
                record["lapses"] += 0 if correct else 1
                record["wrong"] += 0 if correct else 1
                latest = record.get("last_review")
                if latest is None or responses[-1]["answered_at"] >= latest:
                    record["last_review"] = responses[-1]["answered_at"]
                    record["last_correct"] = correct
            attempts.append(
                dict(
                    id=ids["attempt"],
                    user_id=user_id,
                    mode="lesson",
                    params={
                        "topic": topic,
                        "table": None,
                        "topics": [],
                        "types": [],
                        "minutes": None,
                    },
                    seed=rng.randrange(2**31),
                    status="finished",
                    question_count=size.answers,
                    answered_count=size.answers,
                    score=total,
                    started_at=started,
                    finished_at=started + timedelta(seconds=20 * size.answers + 5),
                )
            )
        for qid, record in seen.items():
            ids["card"] += 1
            cards.append(
                dict(
                    id=ids["card"],
                    user_id=user_id,
                    question_id=qid,
                    state=fresh[qid],
                    due=now + timedelta(days=rng.uniform(-10, 20)),
                    **record,
                )
            )
    return attempts, items, responses, cards


# ----------------------------------------------------------------------------- HTTP client


class Http:
    """A keep-alive HTTP/1.1 client with a cookie jar: lighter than requests under load."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> Any:
        headers = {"User-Agent": "sinorus-bench"}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                started = time.perf_counter()
                self.conn.request(method, path, body, headers)
                resp = self.conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - started
                break
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value and "Max-Age=0" not in cookie and "1970" not in cookie:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        if resp.will_close and self.conn is not None:
            self.conn.close()
            self.conn = None
        return SimpleNamespace(status=resp.status, headers=resp.headers, body=data, seconds=elapsed)


CSRF_RE = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
ATTEMPT_RE = re.compile(r"/quiz/(\d+)/q/1$")


def login(port: int, email: str) -> dict[str, str]:
    """Log in through the form; return the session cookies and a CSRF token."""
    client = Http(port)
    page = client.request("GET", "/account/login")
    token = CSRF_RE.search(page.body).group(1).decode()  # type: ignore[union-attr]
    resp = client.request(
        "POST", "/account/login", {"email": email, "password": PASSWORD, "csrf_token": token}
    )
    if resp.status != 302:
        raise SystemExit(f"log-in failed for {email}: HTTP {resp.status}")
    page = client.request("GET", "/topics")
    token = CSRF_RE.search(page.body).group(1).decode()  # type: ignore[union-attr]
    return {"cookies": client.cookies, "csrf": token}  # type: ignore[dict-item]


# ----------------------------------------------------------------------------- phases


class Recorder:
    """Latencies, SQL counts and sizes per route, recorded after the warm-up."""

    def __init__(self, record_from: float) -> None:
        self.record_from = record_from
        self.lock = threading.Lock()
        self.data: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"lat": [], "sql": [], "size": [], "errors": 0}
        )

    def __call__(self, route: str, resp: Any, expect: int = 200) -> None:
        if time.perf_counter() < self.record_from:
            return
        with self.lock:
            entry = self.data[route]
            if resp.status != expect:
                entry["errors"] += 1
                return
            entry["lat"].append(resp.seconds)
            entry["sql"].append(int(resp.headers.get("X-SQL-Count", -1)))
            entry["size"].append(len(resp.body))


_ENGINES: dict[str, Any] = {}


def _query(url: str, sql: Any, params: dict[str, Any]) -> list[Any]:
    """Rows of a read-only query, on one engine per database kept for the process."""
    from sqlalchemy import create_engine

    engine = _ENGINES.get(url) or _ENGINES.setdefault(url, create_engine(url))
    with engine.connect() as conn:
        return list(conn.execute(sql, params).all())


def _answer_items(url: str, attempt_ids: list[int]) -> list[tuple[str, dict[str, Any]]]:
    """Return (url, form) for every unanswered item of these attempts, right 70% of the time."""
    from sqlalchemy import JSON, bindparam, text

    from tests.quiz_helpers import answer_form

    if not attempt_ids:
        return []
    query = text(
        "SELECT ai.attempt_id, ai.position, ai.presented, qv.qtype, qv.answer "
        "FROM attempt_items ai JOIN question_versions qv ON qv.id = ai.question_version_id "
        "LEFT JOIN responses r ON r.attempt_item_id = ai.id "
        "WHERE ai.attempt_id IN :ids AND r.id IS NULL ORDER BY ai.attempt_id, ai.position"
    ).bindparams(bindparam("ids", expanding=True))
    # typed, so both drivers hand back decoded JSON (psycopg decodes a bare JSON string itself)
    query = query.columns(presented=JSON, answer=JSON)
    rng = random.Random(len(attempt_ids))  # noqa: S311
    out = []
    for attempt_id, position, presented, qtype, answer in _query(url, query, {"ids": attempt_ids}):
        version = SimpleNamespace(qtype=qtype, answer=answer)
        form = answer_form(version, presented, right=rng.random() < 0.7)  # type: ignore[arg-type]
        out.append((f"/quiz/{attempt_id}/q/{position}", form))
    return out


def _finished_attempts(url: str, email: str) -> list[int]:
    """Ids of the seeded, finished attempts of this user: the attempt review reads one."""
    from sqlalchemy import text

    query = text(
        "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id "
        "WHERE u.email = :email AND a.status = 'finished' ORDER BY a.id"
    )
    return [row[0] for row in _query(url, query, {"email": email})]


def _page_path(phase: str, spec: dict[str, Any], rng: random.Random, i: int) -> str:
    """The URL a GET phase asks for on a client's i-th request."""
    if phase == "lesson":
        return f"/lessons/{rng.choice(spec['slugs'])}"
    if phase == "question":
        return str(spec["items"][i % len(spec["items"])][0])
    if phase == "attempt_review":
        return f"/quiz/{rng.choice(spec['finished'])}/review"
    if phase == "dashboard":
        return f"/instructor/classes/{spec['class_id']}"
    return GET_PATHS[phase]


def _started_id(resp: Any) -> int:
    return int(ATTEMPT_RE.search(resp.headers["Location"]).group(1))  # type: ignore[union-attr]


def _client_loop(
    phase: str, port: int, spec: dict[str, Any], rec: Recorder, deadline: float, db_url: str
) -> None:
    rng = random.Random(spec["user"])  # noqa: S311
    http_ = Http(port, spec["cookies"])
    csrf = spec["csrf"]
    items = list(spec.get("items", []))
    started: list[int] = spec.setdefault("started", [])
    teacher = Http(port, spec["teacher"]["cookies"])
    i = 0
    while time.perf_counter() < deadline:
        if phase == "bare_write":
            rec(phase, http_.request("POST", "/bench/write", {}))
        elif phase == "start":
            resp = _start(http_, csrf, rng, spec, count=10)
            rec(phase, resp, 302)
            if resp.status == 302:
                started.append(_started_id(resp))
        elif phase == "answer":
            if i >= len(items):
                return  # out of prepared questions: this client stops early
            url, form = items[i]
            rec(phase, http_.request("POST", url, {**form, "csrf_token": csrf}), 302)
        elif phase == "dashboard":
            rec(phase, teacher.request("GET", _page_path(phase, spec, rng, i)))
        elif phase == "mix":
            _session(http_, teacher, csrf, rng, spec, rec, db_url)
        else:
            rec(phase, http_.request("GET", _page_path(phase, spec, rng, i)))
        i += 1


def _start(http_: Http, csrf: str, rng: random.Random, spec: dict[str, Any], count: int) -> Any:
    form = {
        "csrf_token": csrf,
        "mode": "lesson",
        "topic": rng.choice(spec["topics"]),
        "count": count,
    }
    return http_.request("POST", "/quiz/start", form)


def _session(
    http_: Http,
    teacher: Http,
    csrf: str,
    rng: random.Random,
    spec: dict[str, Any],
    rec: Recorder,
    db_url: str,
) -> None:
    """One learner's visit: read a lesson, take a 5-question quiz, look at progress."""
    rec("lesson", http_.request("GET", _page_path("lesson", spec, rng, 0)))
    resp = _start(http_, csrf, rng, spec, count=5)
    rec("start", resp, 302)
    if resp.status != 302:
        return
    for url, form in _answer_items(db_url, [_started_id(resp)]):
        rec("question", http_.request("GET", url))
        rec("answer", http_.request("POST", url, {**form, "csrf_token": csrf}), 302)
    rec("progress", http_.request("GET", "/progress"))
    if rng.random() < 0.2:  # instructors look at their class now and then
        rec("dashboard", teacher.request("GET", _page_path("dashboard", spec, rng, 0)))


def run_clients(
    phase: str, port: int, specs: list[dict[str, Any]], seconds: float, warmup: float, db_url: str
) -> tuple[dict[str, Any], list[list[int]]]:
    """Run one phase with a thread per client spec; return the records and started attempts."""
    now = time.perf_counter()
    rec = Recorder(now + warmup)
    threads = [
        threading.Thread(
            target=_client_loop, args=(phase, port, spec, rec, now + warmup + seconds, db_url)
        )
        for spec in specs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return dict(rec.data), [spec.get("started", []) for spec in specs]


# ----------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, args: argparse.Namespace, log: Path) -> tuple[subprocess.Popen, int]:
    """Start gunicorn on a free loopback port; stop it again if it never answers."""
    port = free_port()
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": url,
        "BENCH_SECRET_KEY": secrets.token_hex(16),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--pythonpath",
        str(REPO / "bench"),
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(args.workers),
        "-k",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
        "bench_wsgi:app",
    ]
    server = subprocess.Popen(cmd, env=env, cwd=str(REPO))
    try:
        _wait_ready(server, port, log)
    except BaseException:
        stop_server(server)
        raise
    return server, port


def _wait_ready(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if Http(port).request("GET", "/bench/read").status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ----------------------------------------------------------------------------- page checks


ASSET_RE = re.compile(
    r'<(script|link|img|iframe|source|audio|video|embed)\b[^>]*?\b(src|href)="([^"]*)"', re.I
)
CSS_URL_RE = re.compile(r'url\(\s*[\'"]?([^\'")]+)|@import\s+[\'"]([^\'"]+)')


def page_weight(client: Http, path: str) -> tuple[int, list[str]]:
    """Bytes of a page plus the stylesheets, scripts and images it loads; external URLs."""
    body = client.request("GET", path).body.decode()
    total = len(body.encode())
    external = []
    for _tag, _attr, url in ASSET_RE.findall(body):
        if url.startswith(("http:", "https:", "//")):
            external.append(url)
            continue
        if url.startswith("data:"):
            continue
        asset = client.request("GET", url.replace("&amp;", "&"))
        total += len(asset.body)
        if url.endswith(".css"):
            for found in CSS_URL_RE.findall(asset.body.decode(errors="replace")):
                ref = found[0] or found[1]
                if ref.startswith(("http:", "https:", "//")):
                    external.append(ref)
    return total, external


def weigh_pages(port: int, spec: dict[str, Any]) -> tuple[dict[str, int], list[str]]:
    """Weigh every student page (on a new quiz for the quiz page); list external URLs."""
    student = Http(port, spec["cookies"])
    rng = random.Random(0)  # noqa: S311
    started = _start(student, spec["csrf"], rng, spec, count=10)
    if started.status != 302:
        raise SystemExit(f"POST /quiz/start answered HTTP {started.status}")
    paths = {
        page: f"/quiz/{_started_id(started)}/q/1"
        if page == "question"
        else _page_path(page, spec, rng, 0)
        for page in STUDENT_PAGES
    }
    weights, external = {}, []
    for page, path in paths.items():
        weights[page], ext = page_weight(student, path)
        external += ext
    teacher = Http(port, spec["teacher"]["cookies"])
    _, ext = page_weight(teacher, _page_path("dashboard", spec, rng, 0))
    return weights, sorted(set(external + ext))


# ----------------------------------------------------------------------------- reporting


def reference_of(route: str) -> str:
    """The bare endpoint a route's throughput is compared with."""
    return "bare_write" if route in WRITES else "bare_read"


def summarise(data: dict[str, Any], seconds: float | dict[str, float]) -> dict[str, Any]:
    """Per route: req/s over its measured seconds (one figure, or one per route), median and
    p95 latency, SQL statements, response size, errors."""
    out = {}
    for route, entry in data.items():
        measured = seconds[route] if isinstance(seconds, dict) else seconds
        lat = sorted(entry["lat"])
        if not lat:
            out[route] = {
                "n": 0,
                "rps": 0.0,
                "median": math.nan,
                "p95": math.nan,
                "sql": -1,
                "sql_max": -1,
                "size": 0,
                "errors": entry["errors"],
            }
            continue
        out[route] = {
            "n": len(lat),
            "rps": len(lat) / measured,
            "median": statistics.median(lat) * 1000,
            "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))] * 1000,
            "sql": statistics.median(entry["sql"]),
            "sql_max": max(entry["sql"]),
            "size": int(statistics.median(entry["size"])),
            "errors": entry["errors"],
        }
    return out


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = defaultdict(lambda: {"lat": [], "sql": [], "size": [], "errors": 0})
    for part in parts:
        for route, entry in part.items():
            for key in ("lat", "sql", "size"):
                merged[route][key].extend(entry[key])
            merged[route]["errors"] += entry["errors"]
    return merged


def ratio(a: float, b: float) -> float:
    """a / b, or NaN (which misses every target) when b is zero: no crash after a long run."""
    return a / b if b else math.nan


def print_table(title: str, stats: dict[str, Any], with_ratio: bool) -> None:
    print(f"\n{title}")
    print(
        f"  {'route':<46} {'req/s':>7} {'med ms':>7} {'p95 ms':>7} {'SQL/req':>8} "
        f"{'bytes':>7} {'errors':>6}" + ("  ratio" if with_ratio else "")
    )
    for route in PHASES:
        if route not in stats:
            continue
        s = stats[route]
        shown = ""
        if with_ratio and "ratio" in s:
            shown = f"  {s['ratio']:.2f}x {reference_of(route).replace('_', ' ')}"
        sql = f"{s['sql']:g}" if s["sql"] == s["sql_max"] else f"{s['sql']:g}-{s['sql_max']}"
        print(
            f"  {ROUTE_LABELS[route]:<46} {s['rps']:>7.1f} {s['median']:>7.1f} "
            f"{s['p95']:>7.1f} {sql:>8} {s['size']:>7} {s['errors']:>6}{shown}"
        )


# ----------------------------------------------------------------------------- measuring


@dataclass
class Bench:
    """One size's database, server and logged-in clients, and the records of its rounds."""

    size: Size
    url: str
    port: int
    specs: list[dict[str, Any]]
    weights: dict[str, int]
    external: list[str]
    data: dict[str, Any] = field(default_factory=dict)  # per route, bare rows included
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    references: dict[str, Any] = field(default_factory=dict)  # per route, its own reference


def prepare_database(size: Size, args: argparse.Namespace, workdir: Path) -> tuple[str, dict]:
    """A seeded database for this size: a copy from --cache, or seeded now (and cached)."""
    rng = random.Random(args.seed)  # noqa: S311
    started = time.perf_counter()
    url = create_database(args.db, size, workdir)
    cached = _cache_path(args, size)
    if cached and cached.exists():
        shutil.copyfile(cached, url.removeprefix("sqlite:///"))
        info = json.loads(cached.with_suffix(".json").read_text())
        print(f"    reusing the seeded database {cached}", flush=True)
    else:
        info = seed(url, size, rng)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(url.removeprefix("sqlite:///"), cached)
            cached.with_suffix(".json").write_text(json.dumps(info))
    _ensure_admin(url)
    print(
        f"    seeded in {time.perf_counter() - started:.0f} s: {info['questions']} questions, "
        f"{info['classes']} classes, {info['cards']:,} review cards",
        flush=True,
    )
    return url, info


def _ensure_admin(url: str) -> None:
    """Add the admin every real install has: without one, / redirects everybody to /setup."""
    from sqlalchemy import create_engine, insert, select
    from werkzeug.security import generate_password_hash

    from sinorus_learn.models import User

    engine = create_engine(url)
    with engine.begin() as conn:
        if conn.scalar(select(User.id).where(User.role == "admin").limit(1)) is None:
            conn.execute(
                insert(User).values(
                    email="admin@bench.example",
                    display_name="Admin",
                    password_hash=generate_password_hash(PASSWORD),
                    role="admin",
                )
            )
    engine.dispose()


def prepare(size: Size, args: argparse.Namespace, workdir: Path, stack: ExitStack) -> Bench:
    """Database, a running server (``stack`` stops it), logged-in clients and page weights."""
    print(f"\n=== size {size.name}: {size.describe()}; database {args.db}", flush=True)
    url, info = prepare_database(size, args, workdir)
    server, port = start_server(url, args, workdir / f"gunicorn-{size.name}.log")
    stack.callback(stop_server, server)
    teacher = login(port, "instructor@bench.example")
    specs = [
        {
            **login(port, f"student{i + 1}@bench.example"),
            "user": i + 2,
            "teacher": teacher,
            "slugs": info["slugs"],
            "topics": info["topics"],
            "class_id": 1,
            "finished": _finished_attempts(url, f"student{i + 1}@bench.example"),
        }
        for i in range(min(args.clients, size.students))
    ]
    weights, external = weigh_pages(port, specs[0])
    return Bench(size, url, port, specs, weights, external)


def run_rounds(benches: list[Bench], args: argparse.Namespace, pool: ProcessPoolExecutor) -> None:
    """Each round measures every route on each size in turn, so the sizes share the drift, and
    each right after its reference, so a route and its reference share it too."""
    seconds = args.seconds / args.rounds
    reference_seconds = seconds * REFERENCE_SHARE
    for round_ in range(1, args.rounds + 1):
        for phase in MEASURED:
            rates = []
            for bench in benches:
                bare = reference_of(phase)
                reference = _run_phase(bare, bench, args, pool, reference_seconds, REFERENCE_WARMUP)
                data = _run_phase(phase, bench, args, pool, seconds)
                bench.data = merge([bench.data, reference, data])
                if bare in reference:
                    bench.references = merge([bench.references, {phase: reference[bare]}])
                bench.seconds[bare] += reference_seconds
                bench.seconds[phase] += seconds
                if phase == "start":  # the answer phase posts to these attempts' items
                    for spec in bench.specs:
                        spec["items"] = _answer_items(bench.url, spec.pop("started"))
                done = len(data[phase]["lat"]) if phase in data else 0
                ref = len(reference[bare]["lat"]) if bare in reference else 0
                rates.append(
                    f"{bench.size.name} {done / seconds:.1f} ({bare.replace('_', ' ')} "
                    f"{ref / reference_seconds:.1f})"
                )
            print(f"    round {round_}/{args.rounds} {phase}: {', '.join(rates)} req/s", flush=True)


def autovacuum_runs(url: str) -> int | None:
    """PostgreSQL's autovacuum and autoanalyze runs so far on this database (None on SQLite):
    they share the CPU with the server, so the run reports how many fell in its rounds."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import text

    query = text(
        "SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables"
    )
    return int(_query(url, query, {})[0][0])


def _run_phase(
    phase: str,
    bench: Bench,
    args: argparse.Namespace,
    pool: ProcessPoolExecutor,
    seconds: float,
    warmup: float | None = None,
) -> dict[str, Any]:
    """Run a phase for ``seconds`` after the warm-up, clients split over the pool's processes."""
    procs = max(1, min(args.procs, len(bench.specs)))
    groups = [bench.specs[i::procs] for i in range(procs)]
    warmup = args.warmup if warmup is None else warmup
    futures = [
        pool.submit(run_clients, phase, bench.port, group, seconds, warmup, bench.url)
        for group in groups
    ]
    parts = []
    for group, future in zip(groups, futures, strict=True):
        data, started = future.result()
        parts.append(data)
        for spec, ids in zip(group, started, strict=True):
            spec["started"] = ids
    return merge(parts)


def finish(bench: Bench, args: argparse.Namespace, pool: ProcessPoolExecutor) -> dict[str, Any]:
    """Run the realistic mix on this size and print its tables."""
    for spec in bench.specs:
        spec.pop("items", None)
    mix_seconds = args.seconds * MIX_FACTOR  # a visit is ~14 requests: give it time to repeat
    mix = summarise(_run_phase("mix", bench, args, pool, mix_seconds), mix_seconds)
    routes = summarise(bench.data, bench.seconds)
    references = summarise(bench.references, args.seconds * REFERENCE_SHARE)
    for route, reference in references.items():
        routes[route]["ratio"] = ratio(routes[route]["rps"], reference["rps"])
    name = bench.size.name
    print_table(
        f"--- {name}: one route at a time, {len(bench.specs)} clients, {args.seconds:g} s each "
        f"in {args.rounds} interleaved rounds (ratio = req/s over the bare endpoint's, measured "
        "just before the route each round; bare rows: all those windows)",
        routes,
        with_ratio=True,
    )
    print_table(
        f"--- {name}: realistic mix (lesson, start, 5 x (quiz page + answer), "
        "progress; dashboard 1 visit in 5)",
        mix,
        with_ratio=False,
    )
    print(
        "    page weight incl. CSS, scripts, images: "
        + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in bench.weights.items())
    )
    return {
        "size": bench.size,
        "routes": routes,
        "mix": mix,
        "weights": bench.weights,
        "external": bench.external,
    }


# ----------------------------------------------------------------------------- targets


def targets(runs: list[dict[str, Any]]) -> list[str]:
    lines = []

    def line(ok: bool, target: str, measured: str) -> None:
        lines.append(f"TARGET {'ok  ' if ok else 'miss'} {target}: {measured}")

    for run in runs:
        r, name = run["routes"], run["size"].name
        x = r["answer"].get("ratio", math.nan)  # NaN misses: no reference was measured
        line(x >= 0.5, f"[{name}] answer submission >= 0.5x bare write", f"{x:.2f}x")
        x = r["start"].get("ratio", math.nan)  # a lesson quiz, composed to its blueprint
        line(x >= 0.25, f"[{name}] start quiz >= 0.25x bare write", f"{x:.2f}x")
        for page in STUDENT_PAGES:
            x = r[page].get("ratio", math.nan)
            line(x >= 0.25, f"[{name}] {page} page >= 0.25x bare read", f"{x:.2f}x")
        worst = max(STUDENT_ROUTES, key=lambda k: r[k]["sql_max"])
        line(
            r[worst]["sql_max"] <= 6,
            f"[{name}] SQL statements per request <= 6 on every student route",
            f"max {r[worst]['sql_max']} ({worst})",
        )
        for page in ("lesson", "question"):
            kb = run["weights"][page] / 1024
            line(kb < 60, f"[{name}] {page} page < 60 KB incl. CSS and scripts", f"{kb:.1f} KB")
        ext = run["external"]
        line(not ext, f"[{name}] no request to another host", ", ".join(ext) or "none found")
    if len(runs) == 2:
        small, large = runs[0]["routes"], runs[1]["routes"]
        for route in PHASES:
            if route.startswith("bare"):
                continue
            x = ratio(large[route]["p95"], small[route]["p95"])
            line(
                x <= 1.5,
                f"p95 large <= 1.5x small: {route}",
                f"{small[route]['p95']:.1f} -> {large[route]['p95']:.1f} ms ({x:.2f}x)",
            )
    return lines


def compare(runs: list[dict[str, Any]]) -> None:
    small, large = runs[0]["routes"], runs[1]["routes"]
    print(
        f"\n--- large / small ({runs[1]['size'].students:,} vs {runs[0]['size'].students:,} "
        "students; 1.00 = flat)"
    )
    print(f"  {'route':<46} {'req/s':>7} {'p95':>7} {'SQL small':>10} {'SQL large':>10}")
    for route in PHASES:
        s, lg = small[route], large[route]
        print(
            f"  {ROUTE_LABELS[route]:<46} {ratio(lg['rps'], s['rps']):>7.2f} "
            f"{ratio(lg['p95'], s['p95']):>7.2f} {s['sql_max']:>10} {lg['sql_max']:>10}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=("small", "large", "both"), default="both")
    parser.add_argument(
        "--seconds", type=float, default=9.0, help="measured seconds per route and size"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument(
        "--warmup", type=float, default=0.5, help="unmeasured seconds before each measurement"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--small-students", type=int, default=100)
    parser.add_argument("--large-students", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=20, help="finished attempts per student")
    parser.add_argument("--answers", type=int, default=5, help="answers per attempt")
    parser.add_argument("--class-size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    parser.add_argument("--cache", metavar="DIR", help="reuse seeded SQLite databases kept in DIR")
    args = parser.parse_args(argv)

    sizes = {
        "small": Size("small", args.small_students, args.attempts, args.answers, args.class_size),
        "large": Size("large", args.large_students, args.attempts, args.answers, args.class_size),
    }
    chosen = ["small", "large"] if args.size == "both" else [args.size]
    workdir = Path(tempfile.mkdtemp(prefix="sinorus-bench-"))
    print(
        f"Sinorus Learn benchmark: gunicorn {args.workers} workers x {args.threads} threads "
        f"({args.worker_class}), {args.clients} clients in {args.procs} processes, "
        f"{args.db}, {args.seconds:g} s per route and size in {args.rounds} rounds, "
        f"{args.warmup:g} s warm-up each; {os.cpu_count()} CPUs; work dir {workdir}"
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop the servers
    began = time.perf_counter()
    try:
        with ExitStack() as stack:  # on the way out: the pool's clients first, then servers
            benches = [prepare(sizes[name], args, workdir, stack) for name in chosen]
            pool = stack.enter_context(
                ProcessPoolExecutor(args.procs, mp_context=get_context("spawn"))
            )
            print(flush=True)
            vacuums = [autovacuum_runs(bench.url) for bench in benches]
            run_rounds(benches, args, pool)
            if args.db == "postgres":
                counts = ", ".join(
                    f"{bench.size.name} {autovacuum_runs(bench.url) - before}"
                    for bench, before in zip(benches, vacuums, strict=True)
                )
                print(f"    autovacuum and autoanalyze runs during the rounds: {counts}")
            runs = [finish(bench, args, pool) for bench in benches]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(runs) == 2:
        compare(runs)
    print()
    for text_line in targets(runs):
        print(text_line)
    print(f"\nbenchmark took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
