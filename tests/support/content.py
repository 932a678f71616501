"""The content the app under test serves, as its views hand it to services."""

from __future__ import annotations

from sinorus_learn.content import current_catalogue


def objective_ids() -> dict[str, tuple[str, ...]]:
    """Each topic's lesson objective ids, from the app's question_bank (in an app context)."""
    return current_catalogue().objective_ids()
