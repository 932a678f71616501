"""`flask questions import|export`: the question file transfer over the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from sinorus_learn.domain.questions import LEVELS, TOPICS
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
@click.option(
    "--level",
    "default_level",
    type=click.Choice(list(LEVELS)),
    default=None,
    help="Level for questions that carry none (a foreign file's).",
)
@click.option(
    "--objective",
    "default_objectives",
    multiple=True,
    metavar="ID",
    help="Objective of the --topic lesson for its questions that carry none; repeatable.",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="NAME=TOPIC[:OBJ,...]",
    help="File the GIFT questions of $CATEGORY NAME under TOPIC, giving those that carry no "
    "objectives OBJ,... (of TOPIC's lesson); repeatable. NAME may be empty (=TOPIC) for "
    "questions above any $CATEGORY line.",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Make new questions live at once; without it they land as drafts for an instructor "
    "to preview and publish.",
)
def import_command(
    file: Path,
    dry_run: bool,
    default_topic: str,
    default_level: str | None,
    default_objectives: tuple[str, ...],
    categories: tuple[str, ...],
    publish: bool,
) -> None:
    """Import every question of FILE (GIFT or JSON) or, at the first error, none.

    New questions land as drafts (no quiz draws on them) unless --publish is given; a
    question already in the bank keeps its status. Each GIFT $CATEGORY goes to the topic its
    name suggests (else --topic) unless --category maps it; the mapping is printed.

    Every question needs a level and objectives of its topic's lesson: in the file (GIFT:
    // @level and // @objectives comments, see docs/gift.md) or, for a file that has none
    (Moodle's), from --level and --objective.

    A file may hold at most IMPORT_MAX_BYTES (default 1 MB) and IMPORT_MAX_QUESTIONS (default
    2,000) questions, the same limits as the instructor's import page.
    """
    from sinorus_learn.content import current_catalogue
    from sinorus_learn.database import DatabaseBusy
    from sinorus_learn.domain.formats import FormatError
    from sinorus_learn.services.transfer import (
        category_mapping,
        check_category_objectives,
        import_questions,
        size_text,
        summarise,
    )

    max_bytes = int(current_app.config["IMPORT_MAX_BYTES"])
    if file.stat().st_size > max_bytes:  # the same cap as the instructor's import page
        raise click.ClickException(
            f"{file}: the file is larger than {size_text(max_bytes)}; nothing was imported"
        )
    topics, objectives = _category_options(categories)
    max_questions = int(current_app.config["IMPORT_MAX_QUESTIONS"])
    try:
        text = file.read_text(encoding="utf-8-sig")
        summary = summarise(text, file.name, default_topic, max_questions)
        mapping = category_mapping(summary, topics)
        known = current_catalogue().objective_ids()
        per_category = check_category_objectives(mapping, objectives, known)
        report = import_questions(
            text,
            file.name,
            objectives=known,
            dry_run=dry_run,
            default_topic=default_topic,
            default_level=default_level or "",
            default_objectives=default_objectives,
            max_questions=max_questions,
            publish=publish,
            category_topics=mapping,
            category_objectives=per_category,
        )
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: expected UTF-8 text") from exc
    except DatabaseBusy as exc:
        raise click.ClickException(
            f"{file}: the database stayed busy; nothing was imported, try again"
        ) from exc
    except FormatError as exc:
        hint = {
            "level": " (choose one with --level)",
            "objectives": " (choose them with --topic and --objective, or a GIFT category's "
            "with --category NAME=TOPIC:OBJECTIVE)",
        }
        extra = "".join(hint[name] for name in exc.missing)
        raise click.ClickException(f"{file}: {exc}{extra}; nothing was imported") from exc
    if dry_run:
        click.echo("Dry run: nothing was written.")
    for name, topic in mapping.items():
        count = next(g.count for g in summary.groups if g.name == name)
        chosen = ", ".join(per_category.get(name, ()))
        extra = f", objectives {chosen}" if chosen else ""
        click.echo(f"category “{name or '(none)'}” ({count} question(s)) -> topic {topic}{extra}")
    for line in report.lines():
        click.echo(line)
    if report.added and not report.publish:
        click.echo(
            "New questions are drafts: publish them on the question bank page "
            "(/instructor/questions?status=draft), or import with --publish."
        )


def _category_options(pairs: tuple[str, ...]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Read repeated NAME=TOPIC[:OBJECTIVE,...] options: topics, and objectives per category."""
    topics: dict[str, str] = {}
    objectives: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.rpartition("=")
        topic, _, ids = value.partition(":")
        if not sep or topic.strip() not in TOPICS:
            raise click.BadParameter(
                f"{pair!r}: expected NAME=TOPIC[:OBJECTIVE,...] with a topic of "
                f"{', '.join(TOPICS)}",
                param_hint="--category",
            )
        topics[name.strip()] = topic.strip()
        objectives[name.strip()] = [o.strip() for o in ids.split(",") if o.strip()]
    return topics, objectives


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


class _UnreadableFileError(click.ClickException):
    """A file lint cannot read: exit 2, apart from 1 for a file with lint errors."""

    exit_code = 2


@questions_cli.command("lint")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def lint_command(file: Path | None) -> None:
    """Check the active bank, or FILE (GIFT or JSON) before import, against the item rules.

    Prints one line per finding (question key or file line, rule, level, message) and a
    summary; exits 1 when any finding is an error.
    """
    from sinorus_learn.content import bank_dir
    from sinorus_learn.services.content_sync import CONTENT_ERRORS
    from sinorus_learn.services.lint import LintFileError, lint_active_bank, lint_file

    try:
        if file is None:
            report = lint_active_bank(bank_dir())
        else:
            if file.stat().st_size > MAX_IMPORT_BYTES:
                raise _UnreadableFileError(f"{file}: the file is larger than 1 MB")
            report = lint_file(file.read_text(encoding="utf-8-sig"), file.name, bank_dir())
    except UnicodeDecodeError as exc:
        raise _UnreadableFileError(f"{file}: expected UTF-8 text") from exc
    except LintFileError as exc:
        raise _UnreadableFileError(f"{file}: {exc}") from exc
    except CONTENT_ERRORS as exc:
        raise _UnreadableFileError(f"cannot read the question bank: {exc}") from exc
    for finding in report.findings:
        click.echo(finding.as_line())
    click.echo(report.summary())
    if report.errors:
        click.get_current_context().exit(1)


@questions_cli.command("stats")
def stats_command() -> None:
    """Count the active bank: per topic and level, per type, per objective (those asked by
    fewer than 3 questions or by no explain/evaluate one), and the hand-written single-answer
    questions whose correct option is the longest."""
    from sinorus_learn.content import bank_dir
    from sinorus_learn.services.content_sync import CONTENT_ERRORS
    from sinorus_learn.services.lint import active_bank_stats

    try:
        stats, source = active_bank_stats(bank_dir())
    except CONTENT_ERRORS as exc:
        raise _UnreadableFileError(f"cannot read the question bank: {exc}") from exc
    click.echo(f"source: {source}")
    for line in stats.lines():
        click.echo(line)
