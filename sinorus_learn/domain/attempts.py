"""When an open attempt stops being open: its time limit passed, or the learner left it."""

from __future__ import annotations

from datetime import datetime, timedelta

# An attempt nobody has answered in for this long is abandoned: it no longer counts as active
# (no "Continue" link, not "active" on instructors' pages), and opening it closes it for good.
ABANDON_AFTER = timedelta(days=1)


def status_at(
    status: str, deadline_at: datetime | None, last_active_at: datetime, now: datetime
) -> str:
    """Return an attempt's status at ``now``: an active one past its deadline has expired, one
    untouched for ``ABANDON_AFTER`` is abandoned; any other keeps the status it has."""
    if status != "active":
        return status
    if deadline_at is not None and now > deadline_at:
        return "expired"
    if now - last_active_at >= ABANDON_AFTER:
        return "abandoned"
    return status
