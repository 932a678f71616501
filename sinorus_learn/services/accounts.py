"""Accounts: registration, log-in, password changes, roles (throttling lives in the views)."""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy import func, select, text, update
from werkzeug.security import check_password_hash, generate_password_hash

from sinorus_learn.database import write
from sinorus_learn.extensions import db
from sinorus_learn.models import User
from sinorus_learn.models.user import ROLES

MIN_PASSWORD_LENGTH = 10
WRONG_CREDENTIALS = "Wrong e-mail address or password."


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message is for the user."""


def set_confidence_default(user_id: int, on: bool) -> None:
    """Set whether the learner's new quizzes ask how sure they are with each answer."""
    with write():
        db.session.execute(update(User).where(User.id == user_id).values(confidence_default=on))


def normalise_email(email: str) -> str:
    """Compare e-mail addresses case-insensitively and without surrounding space."""
    return email.strip().lower()


def check_password_strength(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")


def needs_setup() -> bool:
    """Tell whether the install still lacks its first admin."""
    return db.session.scalar(select(User.id).where(User.role == "admin").limit(1)) is None


def create_user(email: str, password: str, display_name: str = "", role: str = "student") -> User:
    """Create an account; refuse a taken e-mail, an unknown role or a weak password."""
    user = _new_user(email, password, display_name, role)  # hashing before the write lock
    with write():
        return _insert(user)


def create_first_admin(email: str, password: str, display_name: str) -> User:
    """Create the install's first admin, once; later calls are refused.

    The check and the insert are one transaction, serialised: on SQLite by the write lock, on
    PostgreSQL by a transaction-scoped advisory lock, since no row exists yet to lock. Ten
    setup pages posted at once used to create two admins.
    """
    user = _new_user(email, password, display_name, "admin")
    with write():
        if db.session.get_bind().dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            db.session.execute(lock, {"key": FIRST_ADMIN_LOCK})
        if not needs_setup():
            raise AccountError("This site is already set up.")
        return _insert(user)


FIRST_ADMIN_LOCK = 0x5E7_0001  # any fixed number; only the first-admin setup takes it


def _new_user(email: str, password: str, display_name: str, role: str) -> User:
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    check_password_strength(password)
    email = normalise_email(email)
    return User(
        email=email,
        display_name=display_name.strip() or email.split("@")[0],
        password_hash=generate_password_hash(password),
        role=role,
    )


def _insert(user: User) -> User:
    """Add ``user`` in the open write transaction unless the e-mail is taken."""
    if db.session.scalar(select(User.id).where(User.email == user.email)) is not None:
        raise AccountError("An account with this e-mail address already exists.")
    db.session.add(user)
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials.

    A wrong password and an unknown address get the same message after the same work (a hash
    check against a stand-in hash), so neither the answer nor its timing tells whether an
    account exists. Nothing here locks an account: a stranger could lock anyone out with five
    guesses. Guessing is throttled per (address, client) and per client in the view instead.
    """
    user: User | None = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    stored = user.password_hash if user is not None else _stand_in_hash()
    if not check_password_hash(stored, password) or user is None:
        raise AccountError(WRONG_CREDENTIALS)
    if not user.active:
        raise AccountError("This account has been deactivated.")
    return user


@cache
def _stand_in_hash() -> str:
    """A hash made like real ones, checked for an unknown address so it costs the same time."""
    return generate_password_hash(secrets.token_hex(16))


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of ``user``."""
    with write():
        db.session.execute(
            update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
        )
    db.session.refresh(user)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and end the user's other sessions."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("The current password is not right.")
    check_password_strength(new)
    with write():
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(
                password_hash=generate_password_hash(new),
                session_version=User.session_version + 1,
            )
        )
    db.session.refresh(user)


def count_users() -> int:
    """Count accounts (for the home page of a fresh install)."""
    return db.session.scalar(select(func.count(User.id))) or 0
