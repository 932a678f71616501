"""One-time password links: new accounts made by an admin, resets made by an instructor or an
admin, and (when SMTP is configured) resets a learner asks for by e-mail.

A token is 256 random bits shown once; only its SHA-256 is stored. It expires, the first use
spends it, and issuing a new one for the same purpose spends the older ones.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from sinorus_learn.database import utcnow, write
from sinorus_learn.extensions import db
from sinorus_learn.models import Classroom, Enrollment, PasswordToken, User
from sinorus_learn.services.accounts import (
    AccountError,
    check_password_strength,
    create_user,
    normalise_email,
)

PURPOSES = ("welcome", "reset")
INVALID_LINK = "This link is not valid: it has expired or was already used. Ask for a new one."


@dataclass(frozen=True)
class IssuedLink:
    """A token for one account, to be shown once as a link."""

    user_id: int
    email: str
    token: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    user_id: int,
    purpose: str,
    hours: int,
    created_by_id: int | None = None,
    now: datetime | None = None,
) -> IssuedLink:
    """Issue a token for ``user_id``, spending the account's earlier unused ones."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    now = now or utcnow()
    with write():
        user = db.session.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        db.session.execute(
            update(PasswordToken)
            .where(PasswordToken.user_id == user_id, PasswordToken.used_at.is_(None))
            .values(used_at=now)
        )
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(hours=hours)
        db.session.add(
            PasswordToken(
                user_id=user_id,
                token_hash=_digest(token),
                purpose=purpose,
                created_by_id=created_by_id,
                created_at=now,
                expires_at=expires,
            )
        )
        return IssuedLink(user.id, user.email, token, expires)


def _live(token: str, now: datetime):  # type: ignore[no-untyped-def]
    return (
        PasswordToken.token_hash == _digest(token),
        PasswordToken.used_at.is_(None),
        PasswordToken.expires_at > now,
    )


def token_user(token: str, now: datetime | None = None) -> User:
    """Return the active account a live token belongs to; AccountError otherwise."""
    now = now or utcnow()
    user: User | None = db.session.scalar(
        select(User).join(PasswordToken, PasswordToken.user_id == User.id).where(*_live(token, now))
    )
    if user is None or not user.active:
        raise AccountError(INVALID_LINK)
    return user


def set_password_with_token(token: str, password: str, now: datetime | None = None) -> User:
    """Spend the token and set the password; every other session of the account ends."""
    now = now or utcnow()
    check_password_strength(password)
    with write():
        spent = db.session.execute(
            update(PasswordToken).where(*_live(token, now)).values(used_at=now)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]  # used, expired, or raced
            raise AccountError(INVALID_LINK)
        user: User | None = db.session.scalar(
            select(User)
            .join(PasswordToken, PasswordToken.user_id == User.id)
            .where(PasswordToken.token_hash == _digest(token))
        )
        if user is None or not user.active:
            raise AccountError(INVALID_LINK)
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(
                password_hash=generate_password_hash(password),
                session_version=User.session_version + 1,
                failed_logins=0,
                locked_until=None,
            )
        )
    db.session.refresh(user)
    return user


def create_user_with_link(
    email: str, display_name: str, role: str, created_by_id: int, hours: int
) -> IssuedLink:
    """Create an account with no usable password and issue its set-password link."""
    unguessable = secrets.token_urlsafe(32)  # nobody knows it: the link sets the real one
    user = create_user(email, unguessable, display_name, role=role)
    return issue_token(user.id, "welcome", hours, created_by_id)


def can_reset(actor: User, target_id: int) -> bool:
    """An admin may reset anyone; an instructor, only students in one of their classes."""
    if actor.role == "admin":
        return True
    if actor.role != "instructor":
        return False
    target = db.session.get(User, target_id)
    if target is None or target.role != "student":
        return False
    enrolled = (
        select(Enrollment.user_id)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .where(Enrollment.user_id == target_id, Classroom.instructor_id == actor.id)
    )
    return db.session.scalar(enrolled.limit(1)) is not None


def reset_for_email(email: str, hours: int) -> IssuedLink | None:
    """Issue a reset token for an active account with this address, or None. The caller says
    the same thing either way, so the answer does not reveal whether an address exists."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return None
    return issue_token(user.id, "reset", hours)
