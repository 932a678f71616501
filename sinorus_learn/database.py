"""Database wiring: SQLite pragmas, write transactions, and a UTC datetime column type."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.routing import IntegerConverter

SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITE_LOCK_TIMEOUT = 10.0  # seconds a writer waits for the write gate before a 503
RETRY_AFTER_SECONDS = 5
LOCK_TIMEOUT = "sinorus_lock_timeout"  # engine execution option: WRITE_LOCK_TIMEOUT setting
IMMEDIATE = "sinorus_immediate"
WRITING = "sinorus_writing"  # session info: a write() block is open
WRITE_GATE = "sinorus_write_gate"  # connection info: the lock file a write transaction holds
MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; SQLite overflows at 2**63


class DatabaseIdConverter(IntegerConverter):
    """An ``<int:...>`` URL part that fits an id column: a larger one is a 404, not a 500."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime; SQLite hands back naive values, so UTC is re-attached."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def init_app(app: Flask) -> None:
    """Prepare engine options so SQLite is safe for several writers; bound URL ids."""
    app.url_map.converters["int"] = DatabaseIdConverter
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options.setdefault("connect_args", {})["timeout"] = SQLITE_BUSY_TIMEOUT_MS / 1000
        timeout = float(app.config.get("WRITE_LOCK_TIMEOUT", WRITE_LOCK_TIMEOUT))
        options["execution_options"] = {
            **options.get("execution_options", {}),
            LOCK_TIMEOUT: timeout,
        }
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    elif uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = uri.replace(
            "postgresql://", "postgresql+psycopg://", 1
        )


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL, a busy timeout and foreign keys; let SQLAlchemy emit BEGIN itself."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection) -> None:
    """Begin IMMEDIATE for write transactions, so a read-then-write never meets SQLITE_BUSY."""
    if conn.dialect.name != "sqlite":
        return
    if conn.get_execution_options().get(IMMEDIATE):
        _enter_write_gate(conn)
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class DatabaseBusy(ServiceUnavailable):
    """The write lock was not free in time: a 503 with Retry-After rather than a hang."""

    description = "The site is busy saving other work. Please try again in a few seconds."

    def __init__(self) -> None:
        super().__init__(retry_after=RETRY_AFTER_SECONDS)


def _enter_write_gate(conn: Connection) -> None:
    """Queue SQLite writers on an OS file lock before BEGIN IMMEDIATE.

    A writer that finds the database locked waits in SQLite's busy handler, which sleeps in
    growing steps (up to 100 ms) and polls; under a class answering at once, that sleeping,
    not the writes, made the slowest answers. A blocked ``flock`` wakes as soon as the lock is
    free, across threads (one open file each) and worker processes; the kernel drops it if a
    worker dies. Released when the connection goes back to the pool, after COMMIT or ROLLBACK.
    """
    database = conn.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if WRITE_GATE in conn.info:  # this connection holds it already: never wait on ourselves
        return
    timeout = float(conn.get_execution_options().get(LOCK_TIMEOUT, WRITE_LOCK_TIMEOUT))
    handle = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        taken = _lock_within(handle, timeout)
    except BaseException:
        os.close(handle)
        raise
    if not taken:  # the waiting thread owns the handle now, and closes it
        raise DatabaseBusy()
    conn.info[WRITE_GATE] = handle


def _lock_within(handle: int, timeout: float) -> bool:
    """Take the exclusive lock on ``handle`` within ``timeout`` seconds; False if not.

    ``flock`` has no timeout, and polling it would bring back the sleeps the gate removed. So
    a contended lock is waited for by a helper thread blocked in ``flock`` (woken as soon as
    the lock is free), and this thread waits on an event with the timeout. A helper whose
    caller gave up releases the lock at once when it gets it, and closes the handle.
    """
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    done = threading.Event()
    guard = threading.Lock()
    state = {"taken": False, "abandoned": False, "failed": False}

    def wait() -> None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            with guard:
                state["failed"] = True
                if state["abandoned"]:
                    os.close(handle)
            done.set()
            return
        with guard:
            if state["abandoned"]:
                fcntl.flock(handle, fcntl.LOCK_UN)
                os.close(handle)
                return
            state["taken"] = True
        done.set()

    threading.Thread(target=wait, name="sinorus-write-gate", daemon=True).start()
    done.wait(timeout)
    with guard:
        if state["taken"]:
            return True
        if state["failed"]:
            raise OSError("could not lock the write gate")
        state["abandoned"] = True
    return False


@event.listens_for(Pool, "checkin")
def _leave_write_gate(_dbapi_connection: Any, record: Any) -> None:
    handle = record.info.pop(WRITE_GATE, None) if record is not None else None
    if handle is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


event.listen(Pool, "invalidate", lambda _c, record, _e: _leave_write_gate(None, record))


def begin_write() -> None:
    """Start the session's write transaction (IMMEDIATE on SQLite); call before the first read.

    On SQLite a transaction that has read cannot safely turn into a writer, so an open one (the
    log-in's user read) is committed first. Other databases write in the open transaction:
    committing it there only cost two more round trips per request.
    """
    from sinorus_learn.extensions import db

    session = db.session()  # the scoped proxy lacks in_transaction()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})


@contextmanager
def write() -> Iterator[None]:
    """Run the block as the session's one write transaction: commit if it ends normally, roll
    back and re-raise if anything escapes it (IMMEDIATE on SQLite, see ``begin_write``).

    Open it before the block's first read. A ``write()`` inside another joins the outer one,
    which alone commits or rolls back, so a use case can call another without committing half
    of its work.
    """
    from sinorus_learn.extensions import db

    session = db.session()
    if session.info.get(WRITING):
        yield
        return
    begin_write()
    session.info[WRITING] = True
    try:
        yield
        session.commit()
    except BaseException:  # the block's error or the commit's own (an IntegrityError)
        session.rollback()
        raise
    finally:
        session.info.pop(WRITING, None)
