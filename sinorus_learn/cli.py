"""Command-line interface: thin click commands over the services."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from sinorus_learn.content import bank_dir
from sinorus_learn.services import accounts

users_cli = AppGroup("users", help="Manage accounts.")
content_cli = AppGroup("content", help="Load the question bank and lessons.")


def register_commands(app: Flask) -> None:
    """Attach the command groups to ``app``."""
    from sinorus_learn.cli_questions import questions_cli
    from sinorus_learn.cli_tables import tables_cli

    for command in (users_cli, content_cli, backup, questions_cli, tables_cli):
        app.cli.add_command(command)


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where to write the copy (default: instance/backups/<timestamp>).",
)
def backup(output: str | None) -> None:
    """Write a consistent copy of the database."""
    from pathlib import Path

    from sinorus_learn.database import utcnow
    from sinorus_learn.services.backup import BackupError, backup_database

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    suffix = ".db" if url.startswith("sqlite") else ".dump"
    default = Path(current_app.instance_path) / "backups" / f"sinorus-{stamp}{suffix}"
    target = Path(output) if output else default
    try:
        written = backup_database(url, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {written}")


@users_cli.command("create")
@click.option("--email", required=True, help="E-mail address of the new account.")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--role", type=click.Choice(["student", "instructor", "admin"]), default="student")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, display_name: str, role: str, password_stdin: bool) -> None:
    """Create an account (the password comes from stdin or a prompt, never the command line)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email, password, display_name, role=role)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@content_cli.command("load")
def load_content() -> None:
    """Load lessons, the timeline and the question bank; running it twice changes nothing."""
    from sinorus_learn.services.content_sync import CONTENT_ERRORS, load_content

    try:
        report = load_content(bank_dir())
    except CONTENT_ERRORS as exc:
        raise click.ClickException(str(exc)) from exc
    for line in report.lines():
        click.echo(line)
    current_app.logger.info("content loaded from %s", bank_dir())
