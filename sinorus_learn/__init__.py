"""Sinorus Learn: lessons and quizzes on the CSIS report *China and Russia*."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from sinorus_learn.config import CONFIGS, Config, ProductionConfig


def create_app(config: str | type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the app: config, database, extensions, blueprints, error pages, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    _configure(app, config)

    from sinorus_learn import cli, database, errors, models, security, templating, views
    from sinorus_learn.extensions import csrf, db, limiter, login_manager, migrate

    database.init_app(app)
    assert models.__all__  # models must be imported before migrations inspect the metadata
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, os.pardir, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    views.register_blueprints(app)
    errors.register_error_handlers(app)
    cli.register_commands(app)
    _behind_proxies(app)
    return app


def _behind_proxies(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from ``TRUSTED_PROXIES`` proxies (none by default).

    Without it, behind the load balancer every user shares the balancer's address and one rate
    limit; with it set higher than the real number of proxies, a client could choose its own.
    """
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def _configure(app: Flask, config: str | type[Config] | dict[str, Any] | None) -> None:
    """Load the config class named by ``config`` or FLASK_ENV-like ``SINORUS_ENV``."""
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = config
        config = overrides.get("ENV_NAME")
    if config is None:
        config = os.environ.get("SINORUS_ENV", "development")
    config_class = CONFIGS[config] if isinstance(config, str) else config
    app.config.from_object(config_class)
    app.config.update(overrides)
    if issubclass(config_class, ProductionConfig):
        ProductionConfig.check(app.config.get("SECRET_KEY"))
        if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
            app.logger.warning(
                "RATELIMIT_STORAGE_URI is memory://: each worker keeps its own counts, so "
                "every rate limit is multiplied by the number of workers; set it to a Redis URI "
                "shared by all workers (see the README)."
            )
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "sinorus.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
