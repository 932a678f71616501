"""The benchmark's databases: build, seed (or copy from --cache), and the reads its clients need.

Seeding bulk-inserts users, classes and their history through the models; a seeded SQLite file
is kept under --cache, keyed by size, seed, migrations and question bank.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

PASSWORD = "bench-password-123"  # noqa: S105 - seeded benchmark accounts on loopback only


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

    from sinorus_learn.content import bank_dir
    from sinorus_learn.domain import presentation, scheduling
    from sinorus_learn.extensions import db
    from sinorus_learn.models import (
        AnswerRecord,
        Attempt,
        AttemptItem,
        Classroom,
        Enrollment,
        Lesson,
        Question,
        QuestionVersion,
        ReviewCard,
        User,
    )
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
                (Attempt, AttemptItem, AnswerRecord, ReviewCard), rows, strict=True
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


# ----------------------------------------------------------------------------- preparing


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
    ensure_admin(url)
    print(
        f"    seeded in {time.perf_counter() - started:.0f} s: {info['questions']} questions, "
        f"{info['classes']} classes, {info['cards']:,} review cards",
        flush=True,
    )
    return url, info


def ensure_admin(url: str) -> None:
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


# ----------------------------------------------------------------------------- reading


_ENGINES: dict[str, Any] = {}


def read_rows(url: str, sql: Any, params: dict[str, Any]) -> list[Any]:
    """Rows of a read-only query, on one engine per database kept for the process."""
    from sqlalchemy import create_engine

    engine = _ENGINES.get(url) or _ENGINES.setdefault(url, create_engine(url))
    with engine.connect() as conn:
        return list(conn.execute(sql, params).all())


def answer_items(url: str, attempt_ids: list[int]) -> list[tuple[str, dict[str, Any]]]:
    """Return (url, form) for every unanswered item of these attempts, right 70% of the time."""
    from sqlalchemy import JSON, bindparam, text

    from sinorus_learn.domain.presentation import sample_form

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
    for attempt_id, position, presented, qtype, answer in read_rows(
        url, query, {"ids": attempt_ids}
    ):
        form = sample_form(qtype, answer, presented, right=rng.random() < 0.7)
        out.append((f"/quiz/{attempt_id}/q/{position}", form))
    return out


def finished_attempts(url: str, email: str) -> list[int]:
    """Ids of the seeded, finished attempts of this user: the attempt review reads one."""
    from sqlalchemy import text

    query = text(
        "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id "
        "WHERE u.email = :email AND a.status = 'finished' ORDER BY a.id"
    )
    return [row[0] for row in read_rows(url, query, {"email": email})]
