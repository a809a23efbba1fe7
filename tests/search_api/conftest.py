"""Fixtures: the hand-built population indexed once per module, and the app."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from skillbeacon.store.candidates import upsert_candidates
from tests.factories import put_skill_concepts
from tests.search_population import candidates, skill_concepts


@pytest.fixture(scope="module")
def population(settings, client) -> None:
    written, failed = upsert_candidates(client, settings, candidates())
    assert failed == []
    put_skill_concepts(client, settings, skill_concepts())


@pytest.fixture(scope="module")
def api(settings, client, population) -> Iterator[TestClient]:
    with TestClient(create_app(settings, client)) as http:
        yield http
