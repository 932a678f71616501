"""Concurrency without loss: students on a 3-worker gunicorn, a burst, two tabs, a crash."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, AttemptItem
from sinorus_learn.services import quiz
from tests.load.conftest import LoadEnv, assert_clean, assert_scores_add_up, create_students
from tests.load.server import QUESTION_URL, Stats, Student

pytestmark = pytest.mark.slow

QUESTIONS = 6


def stored_counts(env: LoadEnv, keys: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Return how many responses the database holds for each (attempt id, position)."""
    attempt_ids = {a for a, _ in keys}
    with env.app.app_context():
        rows = db.session.execute(
            select(AttemptItem.attempt_id, AttemptItem.position, func.count(AnswerRecord.id))
            .outerjoin(AnswerRecord, AnswerRecord.attempt_item_id == AttemptItem.id)
            .where(AttemptItem.attempt_id.in_(attempt_ids))
            .group_by(AttemptItem.attempt_id, AttemptItem.position)
        ).all()
        db.session.remove()
    return {(a, p): n for a, p, n in rows}


def report(title: str, env: LoadEnv, stats: Stats, written: int, seconds: float) -> None:
    print(
        f"\n[{env.backend}] {title}: {stats.requests} requests in {seconds:.1f} s, "
        f"statuses {dict(sorted(stats.statuses.items()))}, 5xx {len(stats.server_errors)}, "
        f"dropped connections {stats.connection_errors}, answer POSTs acknowledged "
        f"{stats.posts_acknowledged}, distinct answers acknowledged {len(stats.acknowledged)}, "
        f"written {written}"
    )


def take_quiz(student: Student, on_answer: Callable[[], None] | None = None) -> int:
    """Log in, start a quiz, answer every question with a double submit, finish."""
    student.login()
    path = student.start_quiz(QUESTIONS)
    attempt_id = int(QUESTION_URL.search(path).group(1))  # type: ignore[union-attr]
    form: dict[str, Any] = {}
    for position in range(1, QUESTIONS + 1):
        path = f"/quiz/{attempt_id}/q/{position}"
        form = student.answer_form(path)
        if position % 2:
            first = student.post_answer(path, form)
            second = student.post_answer(path, form)  # the impatient second click
            assert (first.status_code, second.status_code) == (302, 302)
        else:
            twin = Student(student.base, student.email, student.stats, student.retries)
            twin.http.cookies.update(student.http.cookies)
            with ThreadPoolExecutor(2) as pool:  # the same POST from two tabs at once
                calls = [pool.submit(s.post_answer, path, form) for s in (student, twin)]
                codes = [call.result().status_code for call in calls]
            assert codes == [302, 302], codes
        if on_answer:
            on_answer()
    finished = student.finish(attempt_id, form["csrf_token"])
    assert finished.status_code == 302
    return attempt_id


def test_fifty_students_lose_no_answer(load_env: LoadEnv) -> None:
    emails = create_students(load_env.app, "load", 50)
    stats = Stats()
    started = time.monotonic()
    with ThreadPoolExecutor(len(emails)) as pool:
        students = [Student(load_env.server.url, e, stats) for e in emails]
        attempts = list(pool.map(take_quiz, students))
    seconds = time.monotonic() - started
    counts = stored_counts(load_env, stats.acknowledged)
    report("50 students", load_env, stats, sum(counts.values()), seconds)
    assert_clean(load_env, stats)
    assert len(attempts) == 50
    assert len(stats.acknowledged) == 50 * QUESTIONS
    assert all(counts[key] == 1 for key in stats.acknowledged)
    assert sum(counts.values()) == len(stats.acknowledged)
    assert_scores_add_up(load_env)
    with load_env.app.app_context():
        statuses = db.session.scalars(select(Attempt.status).where(Attempt.id.in_(attempts)))
        assert set(statuses) == {"finished"}
        db.session.remove()


def test_burst_of_200_answers_at_one_instant(load_env: LoadEnv) -> None:
    emails = create_students(load_env.app, "burst", 50)
    stats = Stats()
    sessions: list[Student] = []
    for email in emails:  # 50 log-ins; each cookie serves 4 tabs, each tab its own attempt
        first = Student(load_env.server.url, email, stats)
        first.login()
        sessions.append(first)
        for _ in range(3):
            tab = Student(load_env.server.url, email, stats)
            tab.http.cookies.update(first.http.cookies)
            sessions.append(tab)

    def prepare(student: Student) -> tuple[str, dict[str, Any]]:
        path = student.start_quiz(1)
        return path, student.answer_form(path)

    with ThreadPoolExecutor(20) as pool:
        prepared = list(pool.map(prepare, sessions))
    barrier = threading.Barrier(len(sessions))

    def fire(pair: tuple[Student, tuple[str, dict[str, Any]]]) -> int:
        student, (path, form) = pair
        barrier.wait()
        return student.post_answer(path, form).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(len(sessions)) as pool:
        codes = list(pool.map(fire, zip(sessions, prepared, strict=True)))
    seconds = time.monotonic() - started
    counts = stored_counts(load_env, stats.acknowledged)
    report("burst of 200", load_env, stats, sum(counts.values()), seconds)
    assert_clean(load_env, stats)
    assert codes == [302] * 200
    assert len(stats.acknowledged) == 200 and set(counts.values()) == {1}
    assert_scores_add_up(load_env)  # the atomic counters of 200 unfinished attempts


def test_finishing_from_two_tabs_finalises_once(load_env: LoadEnv) -> None:
    (email,) = create_students(load_env.app, "tabs", 1)
    stats = Stats()
    student = Student(load_env.server.url, email, stats)
    student.login()
    tab = Student(load_env.server.url, email, stats)
    tab.http.cookies.update(student.http.cookies)
    for _ in range(5):
        path = student.start_quiz(2)
        attempt_id = int(QUESTION_URL.search(path).group(1))  # type: ignore[union-attr]
        form = student.answer_form(path)
        assert student.post_answer(path, form).status_code == 302
        token = form["csrf_token"]
        barrier = threading.Barrier(2)

        def finish(
            s: Student, attempt_id: int = attempt_id, barrier: Any = barrier, token: str = token
        ) -> int:
            barrier.wait()
            return s.finish(attempt_id, token).status_code

        with ThreadPoolExecutor(2) as pool:
            assert list(pool.map(finish, (student, tab))) == [302, 302]
    assert_clean(load_env, stats)
    assert_scores_add_up(load_env)

    # The service itself: of two concurrent finishes exactly one reports that it finalised.
    with load_env.app.app_context():
        user_id = db.session.scalar(select(Attempt.user_id).where(Attempt.id == attempt_id))
        db.session.remove()
    results = []
    for _ in range(5):
        with load_env.app.app_context():
            new_id = quiz.start_attempt(user_id, quiz.QuizRequest(mode="practice", count=1))
            db.session.remove()
        barrier = threading.Barrier(2)

        def finish_in_service(_: int, new_id: int = new_id, barrier: Any = barrier) -> bool:
            with load_env.app.app_context():
                barrier.wait()
                done = quiz.finish_attempt(user_id, new_id)
                db.session.remove()
                return done

        with ThreadPoolExecutor(2) as pool:
            results.append(sorted(pool.map(finish_in_service, range(2))))
    assert results == [[False, True]] * 5


def test_killed_worker_loses_no_acknowledged_answer(load_env: LoadEnv) -> None:
    emails = create_students(load_env.app, "crash", 20)
    stats = Stats()
    before_kill: set[tuple[int, int]] = set()
    killed: list[int] = []
    kill_lock = threading.Lock()

    def maybe_kill() -> None:
        with kill_lock:
            if not killed and stats.posts_acknowledged >= 40:
                with stats.lock:
                    before_kill.update(stats.acknowledged)
                killed.append(load_env.server.kill_worker())

    started = time.monotonic()
    with ThreadPoolExecutor(len(emails)) as pool:
        students = [Student(load_env.server.url, e, stats, retries=5) for e in emails]
        list(pool.map(lambda s: take_quiz(s, maybe_kill), students))
    seconds = time.monotonic() - started
    assert killed, "the load ended before a worker was killed"
    load_env.server.wait_ready()  # gunicorn has respawned the worker
    assert killed[0] not in load_env.server.worker_pids()
    assert requests.get(load_env.server.url + "/", timeout=30).status_code == 200
    counts = stored_counts(load_env, stats.acknowledged)
    report("SIGKILL of a worker", load_env, stats, sum(counts.values()), seconds)
    print(f"  answers acknowledged before the kill: {len(before_kill)}, all written")
    assert_clean(load_env, stats)
    assert before_kill and all(counts[key] == 1 for key in before_kill)
    assert all(counts[key] == 1 for key in stats.acknowledged)
    assert_scores_add_up(load_env)
