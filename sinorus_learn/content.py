"""The content this app serves, as the shell finds it: the question_bank folder named in the
app's config, handed to services as a ``Catalogue`` (services never read the config)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from sinorus_learn.services.catalogue import Catalogue


def bank_dir() -> Path:
    """Return the question_bank directory this app serves (read from the config on every
    call: a test may point an app at another folder after creating it)."""
    return Path(current_app.config["QUESTION_BANK_DIR"])


def current_catalogue() -> Catalogue:
    """Return the content this app serves (its files are parsed once per process)."""
    return Catalogue(bank_dir())
