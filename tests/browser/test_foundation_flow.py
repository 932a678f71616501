"""A new install in a real browser: setup, register, log in, read a lesson and the oil table."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def fill_account_form(page, name: str, email: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)


def test_setup_register_login_lesson_and_oil_table(page, axe_check) -> None:
    page.goto("/")
    assert page.url.endswith("/setup")
    axe_check(page)
    fill_account_form(page, "Site Admin", "admin@example.org")
    page.get_by_role("button", name="Create the admin account").click()
    page.wait_for_url(re.compile(r"/$"))
    assert "Site Admin" in page.inner_text("header")
    axe_check(page)
    page.get_by_role("button", name="Log out").click()

    page.goto("/account/register")
    axe_check(page)
    fill_account_form(page, "Student One", "student@example.org")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/topics$"))
    axe_check(page)
    page.get_by_role("button", name="Log out").click()

    page.goto("/account/login")
    axe_check(page)
    page.get_by_label("E-mail address").fill("student@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/topics$"))
    assert "Student One" in page.inner_text("header")

    page.get_by_role("link", name="Energy").first.click()
    page.wait_for_url(re.compile(r"/lessons/energy$"))
    assert page.get_by_role("heading", name="Key figures").is_visible()
    axe_check(page)

    page.get_by_role("link", name="Data", exact=True).click()
    page.wait_for_url(re.compile(r"/tables$"))
    page.get_by_role("link", name="Chinese Import of Crude Oil from Russia, 1999–2006").click()
    page.wait_for_url(re.compile(r"/tables/crude_oil_imports"))
    table = page.get_by_role("table").first
    assert "15.8" in table.inner_text() and "10.08" in table.inner_text()
    assert page.locator("svg[role=img]").count() >= 1
    axe_check(page)
