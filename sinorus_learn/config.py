"""Configuration classes: development (default), testing and production."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production below
REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The app is configured in a way that is unsafe to run."""


class Config:
    """Settings shared by every environment; each can be overridden by the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
    QUESTION_BANK_DIR = Path(os.environ.get("QUESTION_BANK_DIR", REPO_ROOT / "question_bank"))
    # Tokens stay valid for the whole session: a long exam must not lose its answers.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    # Behind N reverse proxies (a load balancer: 1), trust the last N X-Forwarded-For/-Proto
    # entries; 0 trusts none, so a client cannot pick its own address for the rate limits.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    LOGIN_RATE_LIMIT = "10 per minute"  # every log-in POST, per client address
    # Failed log-ins, stepped so that guessing slows down the longer it goes on: per (e-mail,
    # client address), and per client address whatever the e-mail. No account is ever locked,
    # so a stranger cannot keep its owner out.
    LOGIN_ACCOUNT_FAILURE_LIMIT = "5 per minute; 10 per 15 minutes; 30 per day"
    LOGIN_CLIENT_FAILURE_LIMIT = "10 per minute; 30 per 15 minutes; 100 per day"
    PASSWORD_CHECK_LIMIT = "5 per 15 minutes; 20 per day"  # noqa: S105 - wrong current passwords, per user
    REGISTER_RATE_LIMIT = "10 per hour"
    ANSWER_RATE_LIMIT = "120 per minute"  # per signed-in user
    DAILY_REVIEW_CAP = 50
    FORGOT_RATE_LIMIT = "5 per hour"
    # One-time password links: a reset is short-lived; a new account's welcome link lasts longer.
    RESET_LINK_HOURS = int(os.environ.get("RESET_LINK_HOURS", "24"))
    WELCOME_LINK_HOURS = int(os.environ.get("WELCOME_LINK_HOURS", "168"))
    # Resets by e-mail: off unless an SMTP server is configured (a classroom LAN has none).
    MAIL_RESETS = os.environ.get("MAIL_RESETS", "") == "1"
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "1") == "1"
    MAIL_FROM = os.environ.get("MAIL_FROM", "")
    # One question file (web page and CLI): bigger or longer files are refused, so one import
    # cannot hold the write lock for long.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(1024 * 1024)))
    IMPORT_MAX_QUESTIONS = int(os.environ.get("IMPORT_MAX_QUESTIONS", "2000"))
    # The web import runs in a thread of the worker that took the upload; "1" runs it inside
    # the request instead (tests, single-threaded servers).
    IMPORT_JOBS_INLINE = os.environ.get("IMPORT_JOBS_INLINE", "") == "1"
    # Seconds a write waits for SQLite's write lock before answering 503 with Retry-After.
    WRITE_LOCK_TIMEOUT = float(os.environ.get("WRITE_LOCK_TIMEOUT", "10"))
    HSTS_SECONDS = 0  # Strict-Transport-Security max-age; production sets a year
    PROPAGATE_EXCEPTIONS = None
    # Bare endpoints and an X-SQL-Count header for bench/run.py; never on in a deployment.
    BENCH_ENDPOINTS = False


class DevelopmentConfig(Config):
    """Local development: SQLite in instance/, debug off by default (make run)."""


class TestingConfig(Config):
    """Tests: CSRF stays ON; the database comes from TEST_DATABASE_URL or a temp SQLite file."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    RATELIMIT_ENABLED = False
    IMPORT_JOBS_INLINE = True  # a test sees the job finished when the request returns


class ProductionConfig(Config):
    """Production: secure cookies, and no start without a real SECRET_KEY."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))

    @classmethod
    def check(cls, secret_key: str | None) -> None:
        """Refuse to start with a missing or default SECRET_KEY."""
        if not secret_key or secret_key == DEFAULT_SECRET_KEY or len(secret_key) < 16:
            raise ConfigError(
                "SECRET_KEY must be set to a long random value in production "
                '(python -c "import secrets; print(secrets.token_hex(32))")'
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
