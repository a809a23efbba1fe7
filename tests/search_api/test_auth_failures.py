"""Failed authentication: invalid keys and preview tokens are rate-limited."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

import search_api.auth
from search_api.app import create_app
from skillbeacon.security import preview_token
from tests.conftest import KEYED_LEARNER_ID, bearer

PROBLEM = "application/problem+json"
FAILURE_BURST = 5
PARALLEL_REQUESTS = 120
WORKERS = 16
SEARCH = {"skills": ["teamwork"]}


@pytest.fixture
def limited_settings(settings):
    """Settings with a small failure budget that does not refill in a test."""
    return settings.model_copy(
        update={
            "rate_limit_burst": 1_000_000,
            "auth_failure_burst": FAILURE_BURST,
            "auth_failure_per_second": 0.001,
        }
    )


@pytest.fixture
def http(limited_settings, client, population) -> Iterator[TestClient]:
    with TestClient(create_app(limited_settings, client)) as test_client:
        yield test_client


@pytest.fixture
def lookups(monkeypatch) -> list[str]:
    """Record the key id of each API key lookup that reaches OpenSearch."""
    seen: list[str] = []
    original = search_api.auth.get_api_key

    def counting_get_api_key(client, settings, key_id):
        seen.append(key_id)
        return original(client, settings, key_id)

    monkeypatch.setattr(search_api.auth, "get_api_key", counting_get_api_key)
    return seen


def _wrong_secret(key: str) -> str:
    return key[:-4] + ("aaaa" if key[-4:] != "aaaa" else "bbbb")


def _from_address(http: TestClient, address: str) -> TestClient:
    return TestClient(http.app, client=(address, 50000))


def test_wrong_secret_parallel_gets_429(http, api_keys, lookups):
    wrong = _wrong_secret(api_keys["recruiter"])

    def send(_: int):
        return http.post("/v1/search", json=SEARCH, headers=bearer(wrong))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        responses = list(pool.map(send, range(PARALLEL_REQUESTS)))

    statuses = [response.status_code for response in responses]
    assert set(statuses) == {401, 429}
    # Requests in flight together can each pass the check before one fails.
    assert statuses.count(401) <= FAILURE_BURST + WORKERS
    assert len(lookups) <= FAILURE_BURST + WORKERS
    limited = next(response for response in responses if response.status_code == 429)
    assert limited.headers["content-type"] == PROBLEM
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["type"].endswith("/rate-limited")


def test_wrong_secret_limited_per_key_id(http, api_keys, lookups):
    wrong = _wrong_secret(api_keys["hr_system"])
    for _ in range(FAILURE_BURST):
        response = http.get("/v1/skills/suggest?q=tea", headers=bearer(wrong))
        assert response.status_code == 401

    with _from_address(http, "192.0.2.10") as other_address:
        response = other_address.get("/v1/skills/suggest?q=tea", headers=bearer(wrong))

    assert response.status_code == 429
    assert len(lookups) == FAILURE_BURST


def test_unknown_key_ids_limited_per_address(http, lookups):
    keys = [f"sb_{index:016x}_" + "x" * 43 for index in range(FAILURE_BURST + 1)]
    statuses = [
        http.post("/v1/search", json=SEARCH, headers=bearer(key)).status_code
        for key in keys
    ]

    assert statuses == [401] * FAILURE_BURST + [429]
    assert len(lookups) == FAILURE_BURST
    with _from_address(http, "192.0.2.11") as other_address:
        response = other_address.post(
            "/v1/search", json=SEARCH, headers=bearer(keys[0])
        )
    assert response.status_code == 401


def test_malformed_keys_limited_per_address(http, lookups):
    statuses = [
        http.post("/v1/search", json=SEARCH, headers=bearer("nonsense")).status_code
        for _ in range(FAILURE_BURST + 1)
    ]

    assert statuses == [401] * FAILURE_BURST + [429]
    assert lookups == []


def test_valid_key_not_counted_as_failure(http, api_keys):
    headers = bearer(api_keys["hr_system"])
    statuses = {
        http.get("/v1/skills/suggest?q=tea", headers=headers).status_code
        for _ in range(FAILURE_BURST * 3)
    }

    assert statuses == {200}


def test_wrong_preview_tokens_limited_per_address(http, settings):
    path = f"/preview/{KEYED_LEARNER_ID}"
    statuses = [
        http.get(path, params={"token": f"wrong-{index}"}).status_code
        for index in range(FAILURE_BURST)
    ]
    page = http.get(path, params={"token": "wrong"})
    api = http.get(f"/v1/learners/{KEYED_LEARNER_ID}/preview", params={"token": "x"})

    assert statuses == [403] * FAILURE_BURST
    assert page.status_code == 429
    assert "text/html" in page.headers["content-type"]
    assert int(page.headers["retry-after"]) >= 1
    assert api.status_code == 429
    assert api.headers["content-type"] == PROBLEM
    token = preview_token(KEYED_LEARNER_ID, settings)
    with _from_address(http, "192.0.2.12") as other_address:
        response = other_address.get(path, params={"token": token})
    assert response.status_code == 200


def test_login_wrong_keys_limited(http, api_keys):
    wrong = _wrong_secret(api_keys["recruiter"])
    statuses = [
        http.post("/login", data={"key": wrong}).status_code
        for _ in range(FAILURE_BURST + 1)
    ]

    assert statuses == [401] * FAILURE_BURST + [429]


def test_invalid_key_challenge_names_error(http, api_keys):
    wrong = _wrong_secret(api_keys["recruiter"])

    invalid = http.post("/v1/search", json=SEARCH, headers=bearer(wrong))
    missing = http.post("/v1/search", json=SEARCH)

    assert invalid.status_code == 401
    assert invalid.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
