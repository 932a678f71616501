"""``flask tables check``: validate the data tables and say what does not add up."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from sinorus_learn.content import current_catalogue
from sinorus_learn.domain.tables import validate_tables

tables_cli = AppGroup("tables", help="Inspect the report's data tables.")


@tables_cli.command("check")
def check() -> None:
    """Print every validation warning; exit 1 when there is any, 0 when there is none."""
    loaded = current_catalogue().tables()
    warnings = validate_tables(loaded)
    for warning in warnings:
        click.echo(f"{warning.table}\trow {warning.row}\t{warning.rule}\t{warning.message}")
    rows = sum(len(t.rows) for t in loaded.values())
    click.echo(f"{len(warnings)} warning(s) in {len(loaded)} tables, {rows} rows.")
    if warnings:
        raise SystemExit(1)
