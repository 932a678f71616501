"""Outgoing mail: password-reset links, only when an SMTP server is configured."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any


def mail_enabled(config: Mapping[str, Any]) -> bool:
    """Resets by e-mail are off unless switched on and given a server and a sender."""
    return bool(config.get("MAIL_RESETS") and config.get("SMTP_HOST") and config.get("MAIL_FROM"))


def send_reset_link(config: Mapping[str, Any], to: str, link: str, hours: int) -> None:
    """Send one reset link over SMTP (STARTTLS unless switched off)."""
    message = EmailMessage()
    message["Subject"] = "Sinorus Learn: set a new password"
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message.set_content(
        "Someone asked to reset the password of this Sinorus Learn account.\n\n"
        f"Open this link within {hours} hours to choose a new password (it works once):\n"
        f"{link}\n\nIf it was not you, ignore this message: the password stays as it is.\n"
    )
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
