"""Browser fixtures: the app served on loopback, and the system Chromium driven by Playwright.

Without Chromium the browser tests are skipped locally; with REQUIRE_BROWSER=1 (CI) they fail.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from sinorus_learn import create_app
from sinorus_learn.extensions import db
from sinorus_learn.services.content_sync import load_content
from tests.conftest import TEST_DATABASE_URL

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_browser() -> None:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    message = f"Chromium not found at {CHROMIUM} (Debian package 'chromium')"
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(message + " and REQUIRE_BROWSER is set")
    pytest.skip(message)


@dataclass(frozen=True)
class LiveServer:
    """The served app: its base URL, and the app itself to read the database in the test."""

    url: str
    app: Flask


@pytest.fixture
def live_server(tmp_path: Path, _postgres_schema: None) -> Iterator[LiveServer]:
    """Serve a fresh app with its content loaded; yield its URL and the app."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'browser.db'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        load_content(Path(app.config["QUESTION_BANK_DIR"]))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            db.drop_all()
            db.create_all()
        db.engine.dispose()


@pytest.fixture
def page(live_server: LiveServer) -> Iterator[Any]:
    """A Playwright page in the system Chromium, pointed at the live server."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def axe_check() -> Any:
    """Return a function that runs axe-core on the page and fails on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> None:
        results = axe.run(page)
        violations = results.response["violations"]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in violations
        ]
        assert not violations, f"axe violations on {page.url}:\n" + "\n".join(details)

    return check
