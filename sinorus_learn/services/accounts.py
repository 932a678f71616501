"""Accounts: registration, log-in with back-off, password changes, roles."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from sinorus_learn.database import begin_write, utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import User
from sinorus_learn.models.user import ROLES

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message is for the user."""


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
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    check_password_strength(password)
    email = normalise_email(email)
    begin_write()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        db.session.rollback()
        raise AccountError("An account with this e-mail address already exists.")
    user = User(
        email=email,
        display_name=display_name.strip() or email.split("@")[0],
        password_hash=generate_password_hash(password),
        role=role,
    )
    db.session.add(user)
    db.session.commit()
    return user


def create_first_admin(email: str, password: str, display_name: str) -> User:
    """Create the install's first admin, once; later calls are refused."""
    begin_write()
    if not needs_setup():
        db.session.rollback()
        raise AccountError("This site is already set up.")
    return create_user(email, password, display_name, role="admin")


def authenticate(email: str, password: str, now: datetime | None = None) -> User:
    """Return the user for these credentials, counting failures and locking after too many."""
    now = now or utcnow()
    begin_write()
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        db.session.rollback()
        raise AccountError("Too many failed log-ins. Try again in a few minutes.")
    if user is None or not check_password_hash(user.password_hash, password):
        if user is not None:
            _count_failure(user, now)
        db.session.commit()
        raise AccountError("Wrong e-mail address or password.")
    if not user.active:
        db.session.rollback()
        raise AccountError("This account has been deactivated.")
    user.failed_logins = 0
    user.locked_until = None
    db.session.commit()
    return user


def _count_failure(user: User, now: datetime) -> None:
    """Count a failed log-in in SQL and lock the account once the limit is reached."""
    db.session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    db.session.refresh(user)
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of ``user``."""
    begin_write()
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.commit()
    db.session.refresh(user)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and end the user's other sessions."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("The current password is not right.")
    check_password_strength(new)
    begin_write()
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            password_hash=generate_password_hash(new),
            session_version=User.session_version + 1,
        )
    )
    db.session.commit()
    db.session.refresh(user)


def count_users() -> int:
    """Count accounts (for the home page of a fresh install)."""
    return db.session.scalar(select(func.count(User.id))) or 0
