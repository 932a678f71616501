"""Question generators over the report's tables: one module per table family and a registry.

Every generator takes the loaded tables and a seed and yields QuestionSpecs whose keys depend only
on table, template and row (never on the seed); the seed only orders choices and picks
distractors, through ``random.Random(f"{seed}:{key}")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sinorus_learn.domain.generators import arms, economics, islands, oil, timeline
from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.domain.tables import Table

Generator = Callable[[dict[str, Table], int], Iterable[QuestionSpec]]

# table id -> its generator; a table missing from the loaded set is skipped.
REGISTRY: dict[str, Generator] = {
    "crude_oil_imports": oil.generate,
    "arms_transfers": arms.generate,
    "border_islands": islands.generate,
    "trade_2006": economics.generate_trade,
    "export_commodities": economics.generate_exports,
    "timeline": timeline.generate,
}


def generate_bank(tables: Mapping[str, Table], seed: int = 0) -> list[QuestionSpec]:
    """Return every generated question for ``tables``, table by table, in a stable order."""
    loaded = dict(tables)
    bank: list[QuestionSpec] = []
    for table_id, generator in REGISTRY.items():
        if table_id in loaded:
            bank.extend(generator(loaded, seed))
    return bank


def counts(bank: Iterable[QuestionSpec]) -> tuple[dict[str, int], dict[str, int]]:
    """Count a bank's questions per table and per question type."""
    per_table: dict[str, int] = {}
    per_type: dict[str, int] = {}
    for spec in bank:
        table = spec.source.table or "-"
        per_table[table] = per_table.get(table, 0) + 1
        per_type[spec.type] = per_type.get(spec.type, 0) + 1
    return per_table, per_type
