"""Fixtures shared with the UI tests; see tests/app_fixtures.py."""

from tests.app_fixtures import api, population  # noqa: F401
