"""Blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach every area's blueprint to ``app``."""
    from sinorus_learn.views import (
        admin,
        auth,
        instructor,
        lessons,
        main,
        progress,
        quiz,
        search,
    )

    for module in (main, auth, lessons, search, quiz, progress, instructor, admin):
        app.register_blueprint(module.bp)
    if app.config.get("BENCH_ENDPOINTS"):
        from sinorus_learn.views import bench

        bench.init_app(app)
