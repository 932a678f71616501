"""WSGI entry point: ``gunicorn wsgi:app``."""

from sinorus_learn import create_app

app = create_app()
