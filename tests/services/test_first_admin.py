"""The first admin is created once, even by ten setup pages posted at the same instant."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from sqlalchemy import func, select

from sinorus_learn.extensions import db
from sinorus_learn.models import User
from sinorus_learn.services import accounts
from tests.conftest import PASSWORD

SETUPS = 10


def test_concurrent_setups_create_one_admin(app: Flask) -> None:
    """Issue 18 point 7: the check and the insert were separate transactions: two admins."""
    barrier = threading.Barrier(SETUPS)

    def setup(index: int) -> str:
        with app.app_context():
            barrier.wait()
            try:
                accounts.create_first_admin(f"admin{index}@example.org", PASSWORD, "Admin")
            except accounts.AccountError as exc:
                return str(exc)
            finally:
                db.session.remove()
            return "created"

    with ThreadPoolExecutor(SETUPS) as pool:
        outcomes = list(pool.map(setup, range(SETUPS)))
    assert outcomes.count("created") == 1, outcomes
    assert set(outcomes) == {"created", "This site is already set up."}
    with app.app_context():
        admins = db.session.scalar(select(func.count(User.id)).where(User.role == "admin"))
    assert admins == 1
