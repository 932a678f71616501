"""Time generating and validating the whole question bank, and loading it into an empty database.

Run: .venv/bin/python bench/bench_bank.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sinorus_learn import create_app
from sinorus_learn.domain.authored import load_authored
from sinorus_learn.domain.generators import generate_bank
from sinorus_learn.domain.questions import spec_problems
from sinorus_learn.domain.tables import load_tables, validate_tables
from sinorus_learn.extensions import db
from sinorus_learn.services.content_sync import load_content

BANK = Path(__file__).resolve().parent.parent / "question_bank"


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Return the median seconds of ``repeat`` runs and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def load_into_empty_database() -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            counts = load_content(BANK).counts
            db.engine.dispose()
        return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tables = load_tables(BANK / "tables")
    seconds_tables, _ = timed(lambda: load_tables(BANK / "tables"), args.repeat)
    seconds_validate, warnings = timed(lambda: validate_tables(tables), args.repeat)
    seconds_generate, bank = timed(lambda: generate_bank(tables, seed=0), args.repeat)
    authored = load_authored(BANK / "questions")
    everything = list(bank) + authored  # type: ignore[arg-type]
    seconds_rules, _ = timed(lambda: [spec_problems(s) for s in everything], args.repeat)
    seconds_load, counts = timed(load_into_empty_database, max(1, args.repeat // 2))
    print(f"questions: {len(bank)} generated + {len(authored)} hand-written")
    print(f"table warnings: {len(warnings)}")  # type: ignore[arg-type]
    print(f"read tables           {seconds_tables * 1000:8.1f} ms")
    print(f"validate tables       {seconds_validate * 1000:8.1f} ms")
    print(f"generate bank         {seconds_generate * 1000:8.1f} ms")
    print(f"check spec rules      {seconds_rules * 1000:8.1f} ms")
    print(f"load into empty DB    {seconds_load * 1000:8.1f} ms  {counts}")


if __name__ == "__main__":
    main()
