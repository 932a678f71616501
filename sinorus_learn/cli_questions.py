"""`flask questions import|export`: the question file transfer over the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.models.question import ORIGINS

MAX_IMPORT_BYTES = 1024 * 1024
questions_cli = AppGroup("questions", help="Import and export question files (GIFT, JSON).")


@questions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--topic",
    "default_topic",
    type=click.Choice(list(TOPICS)),
    default="overview",
    help="Topic for GIFT questions whose category names none.",
)
def import_command(file: Path, dry_run: bool, default_topic: str) -> None:
    """Import every question of FILE (GIFT or JSON) or, at the first error, none."""
    from sinorus_learn.services.transfer import TransferError, import_questions

    if file.stat().st_size > MAX_IMPORT_BYTES:  # the same cap as the instructor's import page
        raise click.ClickException(f"{file}: the file is larger than 1 MB; nothing was imported")
    try:
        text = file.read_text(encoding="utf-8-sig")
        report = import_questions(text, file.name, dry_run=dry_run, default_topic=default_topic)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: expected UTF-8 text") from exc
    except TransferError as exc:
        raise click.ClickException(f"{file}: {exc}; nothing was imported") from exc
    if dry_run:
        click.echo("Dry run: nothing was written.")
    for line in report.lines():
        click.echo(line)


@questions_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "gift"]), default="json")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
@click.option("--topic", type=click.Choice(list(TOPICS)), default=None)
@click.option(
    "--source",
    type=click.Choice(list(ORIGINS)),
    default=None,
    help="Only generated, authored or imported questions.",
)
def export_command(fmt: str, output: Path | None, topic: str | None, source: str | None) -> None:
    """Export the active question bank."""
    from sinorus_learn.services.transfer import export_questions

    result = export_questions(fmt, topic, source)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        output.write_text(result.text, encoding="utf-8")
        click.echo(f"{result.count} question(s) written to {output}", err=True)
    for key in result.skipped:
        click.echo(f"skipped {key}: {fmt.upper()} cannot express it", err=True)
