"""Helpers shared by test modules: values and plain functions; the fixtures live in conftest.py."""
