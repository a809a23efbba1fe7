"""App fixtures for the API and UI tests: the hand-built population, indexed
once per module, and a client of the app with a recruiter key."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from skillbeacon.store.candidates import upsert_candidates
from tests.conftest import bearer, unlimited
from tests.factories import put_skill_concepts
from tests.search_population import candidates, skill_concepts


@pytest.fixture(scope="module")
def population(settings, client) -> None:
    written, failed = upsert_candidates(client, settings, candidates())
    assert failed == []
    put_skill_concepts(client, settings, skill_concepts())


@pytest.fixture(scope="module")
def api(settings, client, population, api_keys) -> Iterator[TestClient]:
    """A client of the app that sends the recruiter key with every request."""
    app = create_app(unlimited(settings), client)
    with TestClient(app, headers=bearer(api_keys["recruiter"])) as http:
        yield http
