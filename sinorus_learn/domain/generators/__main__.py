"""Print how many questions the generators make: per table, type, table × level and template."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from sinorus_learn.domain.generators import counts, generate_bank
from sinorus_learn.domain.questions import LEVELS
from sinorus_learn.domain.tables import load_tables

TABLES = Path(__file__).resolve().parents[3] / "question_bank" / "tables"


def main(argv: list[str]) -> int:
    """Print the counts for the tables in argv[0] (default: the repository's question bank)."""
    tables = load_tables(Path(argv[0]) if argv else TABLES)
    bank = generate_bank(tables)
    per_table, per_type = counts(bank)
    print(f"{len(bank)} generated questions")
    for name, counted in (("table", per_table), ("type", per_type)):
        for key, n in sorted(counted.items()):
            print(f"  {name:5} {key:20} {n:4}")
    levels = Counter((s.source.table or "-", s.level or "-") for s in bank)
    print(f"  {'table × level':26}" + "".join(f"{level:>9}" for level in (*LEVELS, "-")))
    for table in sorted(per_table):
        row = "".join(f"{levels[(table, level)]:9}" for level in (*LEVELS, "-"))
        print(f"  {table:26}{row}")
    for template, n in sorted(Counter(s.template or "-" for s in bank).items()):
        print(f"  template {template:40} {n:4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
