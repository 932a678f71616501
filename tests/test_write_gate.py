"""SQLite writers queue on a file lock held from BEGIN IMMEDIATE to COMMIT or ROLLBACK."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sinorus_learn.database import begin_write, write
from sinorus_learn.extensions import db
from sinorus_learn.models import User


@pytest.fixture
def app(sqlite_app):
    """The gate is SQLite's (PostgreSQL locks rows): tested on SQLite in both suites."""
    return sqlite_app


def gate_is_free(app) -> bool:
    """Try the gate without waiting, as another worker process would."""
    path = f"{db.engine.url.database}.write-lock"
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(handle)  # closing the only descriptor also drops a lock we took
    return True


def add_user(email: str) -> None:
    db.session.add(User(email=email, display_name=email, password_hash="x"))


def emails() -> list[str]:
    db.session.remove()
    return sorted(db.session.scalars(select(User.email)))


def test_write_commits_a_block_or_rolls_it_back_and_re_raises(app) -> None:
    with app.app_context():
        with write():
            assert not gate_is_free(app)  # BEGIN IMMEDIATE, behind the gate
            add_user("kept@example.org")
        assert gate_is_free(app)
        with pytest.raises(LookupError), write():
            add_user("lost@example.org")
            db.session.flush()
            raise LookupError("refused")
        assert gate_is_free(app)
        with write():  # a write inside another joins it: one commit, or one rollback
            add_user("outer@example.org")
            with write():
                add_user("inner@example.org")
            assert not gate_is_free(app)
        with pytest.raises(ValueError), write():
            add_user("outer2@example.org")
            with write():
                add_user("inner2@example.org")
            raise ValueError("after the inner block")
        assert emails() == ["inner@example.org", "kept@example.org", "outer@example.org"]


def test_write_rolls_back_when_its_commit_fails(app) -> None:
    with app.app_context():
        with write():
            add_user("once@example.org")
        with pytest.raises(IntegrityError), write():
            add_user("once@example.org")  # the unique e-mail fails at the commit's flush
        with write():  # the session is usable again
            add_user("twice@example.org")
        assert emails() == ["once@example.org", "twice@example.org"]


def test_gate_is_held_for_the_write_transaction_only(app) -> None:
    with app.app_context():
        assert gate_is_free(app)
        begin_write()
        assert not gate_is_free(app)
        add_user("a@example.org")
        db.session.commit()
        assert gate_is_free(app)
        begin_write()
        add_user("b@example.org")
        db.session.rollback()
        assert gate_is_free(app)
        db.session.scalars(select(User)).all()  # a read takes no gate
        assert gate_is_free(app)
        db.session.rollback()
        begin_write()  # begin_write twice in a row: the first commits, the second takes it again
        begin_write()
        assert not gate_is_free(app)
        db.session.remove()  # a request ending mid-transaction gives it back too
        assert gate_is_free(app)
        assert [u.email for u in db.session.scalars(select(User))] == ["a@example.org"]


def test_a_second_writer_waits_for_the_first_to_commit(app) -> None:
    order: list[str] = []
    holding, go_on = threading.Event(), threading.Event()

    def first() -> None:
        with app.app_context():
            begin_write()
            add_user("first@example.org")
            holding.set()
            go_on.wait(10)
            order.append("first commits")
            db.session.commit()

    def second() -> None:
        holding.wait(10)
        with app.app_context():
            begin_write()
            order.append("second writes")
            add_user("second@example.org")
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    threads[1].join(0.3)  # the second writer is still queued at the gate
    assert threads[1].is_alive() and order == []
    go_on.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first commits", "second writes"]
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
    assert emails == {"first@example.org", "second@example.org"}
