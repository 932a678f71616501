"""Question generators over the report's tables (interim: the registry is filled per table)."""

from __future__ import annotations

from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.domain.tables import Table


def generate_bank(tables: dict[str, Table], seed: int = 0) -> list[QuestionSpec]:
    """Return every generated question for ``tables``."""
    return []
