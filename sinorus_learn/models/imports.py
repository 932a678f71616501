"""Question-file imports run as jobs: the upload, its mapping, progress and outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sinorus_learn.database import UTCDateTime, utcnow
from sinorus_learn.extensions import db

# pending: uploaded and checked, waiting for the instructor to confirm the topic mapping;
# queued -> running -> done | failed; cancelled: never confirmed.
JOB_STATUSES = ("pending", "queued", "running", "done", "failed", "cancelled")


class ImportJob(db.Model):
    """One uploaded question file, kept until it is imported (or not) and then reported on.

    The file's text lives in the row, so whichever worker runs the job, and whichever serves
    its status page, reads the same thing.
    """

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    filename: Mapped[str] = mapped_column(String(255), default="")
    format: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    # default topic, level and objectives; category -> topic mapping; publish or draft
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total: Mapped[int] = mapped_column(default=0)  # questions in the file
    processed: Mapped[int] = mapped_column(default=0)  # checked so far (progress)
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    added_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # heartbeat: a running job whose row stops changing lost its worker
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
