"""The shipped bank passes item lint with no errors (LEARNING.md section 7)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sinorus_learn.domain.authored import load_authored
from sinorus_learn.domain.content import load_lessons, objectives_by_topic
from sinorus_learn.domain.generators import generate_bank
from sinorus_learn.domain.lint import lint
from sinorus_learn.domain.tables import load_tables

BANK = Path(__file__).resolve().parents[2] / "question_bank"
SHOWN = 40


def test_the_shipped_bank_has_no_lint_errors() -> None:
    # The seed content load uses (services.content_sync.BANK_SEED).
    specs = generate_bank(load_tables(BANK / "tables"), seed=0)
    specs += load_authored(BANK / "questions")
    objectives = objectives_by_topic(load_lessons(BANK / "lessons"))
    errors = [f for f in lint(specs, objectives=objectives) if f.level == "error"]
    per_rule = Counter(f.rule for f in errors)
    shown = "\n".join(f.as_line() for f in errors[:SHOWN])
    assert not errors, f"{len(errors)} lint error(s) {dict(per_rule)}:\n{shown}"
