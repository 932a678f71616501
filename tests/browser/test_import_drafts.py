"""Issues 18 and 19: a GIFT file with two categories is uploaded, its mapping previewed and
confirmed, the import runs as a background job whose page refreshes itself to "Done", and a
draft is previewed with its lint findings, published, and found live in the bank."""

from __future__ import annotations

import re

import pytest

from sinorus_learn.services.accounts import create_user
from tests.browser.helpers import OVERFLOW, PASSWORD, log_in

pytestmark = pytest.mark.browser

GIFT = b"""$CATEGORY: $course$/Moodle quiz/Energy

// @objectives energy.oil-table
::Rail:: Did Russia ship the the oil to China by rail? {T}

$CATEGORY: $course$/Geography

::Capital::[html]Which is the <b>capital</b> of Russia?{=Moscow ~Kiev ~All of the above}
"""


def fits_a_phone(page) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], (page.url, found)


def test_import_map_run_preview_and_publish(page, live_server, axe_check) -> None:
    live_server.app.config["IMPORT_JOBS_INLINE"] = False  # a real background job
    page.set_viewport_size({"width": 390, "height": 844})  # every page of it fits a phone
    with live_server.app.app_context():
        create_user("importer@example.org", PASSWORD, "Ines Importer", role="instructor")
    log_in(page, "importer@example.org")
    page.goto("/instructor/questions/import")
    page.get_by_label("Question file (GIFT or JSON)").set_input_files(
        {"name": "moodle.gift", "mimeType": "text/plain", "buffer": GIFT}
    )
    page.get_by_label("Default level").select_option("recall")
    page.get_by_role("button", name="Upload and preview").click()

    page.wait_for_url(re.compile(r"/instructor/imports/\d+$"))
    assert page.get_by_role("heading", name="Confirm the import").is_visible()
    energy = page.get_by_label("Topic for $course$/Moodle quiz/Energy")
    assert energy.input_value() == "energy"  # the category's last segment names the topic
    assert page.get_by_label("Topic for $course$/Geography").input_value() == "overview"
    page.get_by_label("Topic for $course$/Geography").select_option("sco")
    page.get_by_label("Objectives for $course$/Geography").select_option(["sco.origins"])
    axe_check(page)
    fits_a_phone(page)
    page.get_by_role("button", name="Import as drafts").click()

    page.wait_for_url(re.compile(r"/instructor/imports/\d+$"))
    done = page.get_by_text("Done.")
    done.wait_for(timeout=20_000)  # the page refreshes itself until the job is done
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert "2 question(s) added as drafts" in page.locator("main").inner_text()
    axe_check(page)
    fits_a_phone(page)
    page.get_by_role("link", name="Review and publish the 2 new draft(s)").click()

    page.wait_for_url(re.compile(r"/instructor/questions\?job=\d+$"))
    assert "2 questions found" in page.locator("main").inner_text()
    page.get_by_role("link", name="Preview import:capital").click()
    page.wait_for_url(re.compile(r"/instructor/questions/\d+/preview$"))
    assert page.locator(".prompt b").inner_text() == "capital"  # [html]: rendered, not <b>
    findings = page.locator("ul.lint-findings").inner_text()
    assert "all-none-above" in findings and "empty-explanation" in findings
    assert page.get_by_text("Draft:").is_visible()
    axe_check(page)
    fits_a_phone(page)
    page.get_by_role("button", name="Publish (quizzes may draw on it)").click()

    page.wait_for_url(re.compile(r"/instructor/questions/\d+/preview$"))
    assert page.get_by_text("Question published").is_visible()
    page.goto("/instructor/questions?status=active&q=capital")
    row = page.locator("tbody tr", has_text="import:capital")
    assert row.locator("td").nth(4).inner_text() == "active"
    assert page.get_by_text("1 question found").is_visible()
