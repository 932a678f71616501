"""Every other page, axe-checked once: as an admin (who sees everything) and logged out."""

from __future__ import annotations

import pytest

from sinorus_learn.services.accounts import create_user
from tests.browser.helpers import PASSWORD, log_in, log_out

pytestmark = pytest.mark.browser

ADMIN_PAGES = (
    "/",
    "/topics",
    "/timeline",
    "/tables/arms_transfers",
    "/lessons/military",
    "/quiz/practice",
    "/quiz/exam",
    "/quiz/history",
    "/progress",
    "/review",
    "/account/password",
    "/admin/users",
    "/instructor/questions/import",
    "/instructor/questions/export",
    "/instructor/items",
    "/no-such-page",
)
PUBLIC_PAGES = ("/", "/topics", "/lessons/sco", "/tables/crude_oil_imports")


def test_every_page_is_axe_clean(page, live_server, axe_check) -> None:
    with live_server.app.app_context():
        create_user("admin@example.org", PASSWORD, "Site Admin", role="admin")
    for path in PUBLIC_PAGES:
        page.goto(path)
        axe_check(page)
    log_in(page, "admin@example.org")
    for path in ADMIN_PAGES:
        response = page.goto(path)
        assert response is not None
        assert response.status == (404 if path == "/no-such-page" else 200), path
        axe_check(page)
    log_out(page)
