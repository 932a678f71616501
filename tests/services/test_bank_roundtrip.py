"""The whole loaded bank, exported and imported again, is recognised question for question."""

from __future__ import annotations

import pytest

from sinorus_learn.services import transfer
from tests.support.content import objective_ids


@pytest.mark.parametrize("fmt", ["json", "gift"])
def test_reimporting_the_exported_bank_changes_nothing(app, content, fmt) -> None:
    with app.app_context():
        exported = transfer.export_questions(fmt)
        report = transfer.import_questions(
            exported.text, f"bank.{fmt}", objectives=objective_ids(), dry_run=True
        )
    assert report.added == [] and report.updated == []
    assert len(report.unchanged) >= 250  # the whole bank: generated and hand-written
