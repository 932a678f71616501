"""Configuration: production refuses an unsafe SECRET_KEY; SQLite runs in WAL mode."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sinorus_learn import create_app
from sinorus_learn.config import DEFAULT_SECRET_KEY, ConfigError
from sinorus_learn.extensions import db


@pytest.mark.parametrize("key", [None, "", DEFAULT_SECRET_KEY, "short"])
def test_production_refuses_missing_or_default_secret(key, tmp_path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": key,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
            }
        )


def test_production_starts_with_a_real_secret(tmp_path) -> None:
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "x" * 64,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_runs_in_wal_mode_with_busy_timeout(sqlite_app) -> None:
    with sqlite_app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_security_headers_on_every_page(client) -> None:
    response = client.get("/account/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
