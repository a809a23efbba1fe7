"""HTTP contract of the search API: status codes, media types, problems."""

import socket

import pytest
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

import search_api.candidate_search
from search_api.app import create_app
from skillbeacon.store.candidates import search_candidates
from skillbeacon.store.client import build_client
from tests.conftest import bearer

PROBLEM = "application/problem+json"
PROBLEMS = "https://skillbeacon.dev/problems/"


def test_search_accepts_plain_skill_names(api):
    response = api.post(
        "/v1/search", json={"skills": ["teamwork", "Python"], "size": 10}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"total", "results", "resolved_skills", "unresolved_skills"}
    assert body["total"] >= 1
    hit = body["results"][0]
    assert set(hit) == {"candidate_id", "score", "candidate", "explanation"}
    assert [skill["name"] for skill in body["resolved_skills"]] == [
        "teamwork",
        "Python",
    ]
    assert body["unresolved_skills"] == []


def test_search_reports_unresolved_names(api):
    response = api.post("/v1/search", json={"skills": ["teamwork", "qqzx blorft"]})

    assert response.status_code == 200
    body = response.json()
    assert body["unresolved_skills"] == ["qqzx blorft"]
    assert [skill["name"] for skill in body["resolved_skills"]] == ["teamwork"]
    assert body["total"] >= 1


def test_search_bad_size_is_validation_problem(api):
    response = api.post("/v1/search", json={"skills": ["teamwork"], "size": 1000})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == PROBLEMS + "validation"
    assert problem["status"] == 422
    assert problem["title"] == "Invalid request"
    assert "size" in problem["detail"]
    assert "1000" in problem["detail"]
    assert problem["instance"] == "/v1/search"
    assert problem["errors"][0]["field"] == "size"
    assert problem["errors"][0]["location"] == "body"
    assert problem["errors"][0]["value"] == 1000


def test_search_unknown_field_is_named(api):
    response = api.post("/v1/search", json={"skills": ["x"], "filters": {"age": 3}})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["filters.age"]


def test_search_empty_skill_name_is_rejected(api):
    response = api.post("/v1/search", json={"skills": ["  "]})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "skills"


def test_search_malformed_json_is_problem(api):
    response = api.post(
        "/v1/search",
        content=b'{"skills": [',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == PROBLEMS + "validation"
    assert problem["detail"].startswith(
        "The request body is not valid JSON: Expecting value at position 12."
    )
    assert "field '1'" not in problem["detail"]
    assert problem["errors"][0]["field"] == "(request body)"
    assert "value" not in problem["errors"][0]


def test_search_without_skills_or_text_is_422(api):
    bodies = [
        {},
        {"text": "   "},
        {"skills": [], "required_skills": [], "preferred_skills": []},
        {"filters": {"country": "US"}},
    ]
    for body in bodies:
        response = api.post("/v1/search", json=body)

        assert response.status_code == 422, body
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["type"] == PROBLEMS + "validation"
        assert "at least one skill or a text query" in problem["detail"], body
        assert problem["errors"][0]["field"] == "(request body)"
        assert "value" not in problem["errors"][0]


def test_search_text_only_is_accepted(api):
    response = api.post("/v1/search", json={"text": "python"})

    assert response.status_code == 200
    assert response.json()["total"] >= 1


@pytest.fixture
def store_never_called(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the store search was called")

    monkeypatch.setattr(search_api.candidate_search, "search_candidates", fail)


def test_search_only_unknown_names_is_empty(api, store_never_called):
    response = api.post("/v1/search", json={"skills": ["zzzqqq"]})

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 0
    assert body["results"] == []
    assert body["resolved_skills"] == []
    assert body["unresolved_skills"] == ["zzzqqq"]


def test_search_unknown_required_name_is_empty(api, store_never_called):
    response = api.post(
        "/v1/search", json={"skills": ["teamwork"], "required_skills": ["zzzqqq"]}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 0
    assert body["results"] == []
    assert body["unresolved_skills"] == ["zzzqqq"]
    assert [skill["name"] for skill in body["resolved_skills"]] == ["teamwork"]


def test_search_unknown_names_with_text_matches_text(api):
    text_only = api.post("/v1/search", json={"text": "python"}).json()

    response = api.post("/v1/search", json={"skills": ["zzzqqq"], "text": "python"})

    assert response.status_code == 200
    body = response.json()
    assert body["unresolved_skills"] == ["zzzqqq"]
    assert body["total"] == text_only["total"]
    ids = [hit["candidate_id"] for hit in body["results"]]
    assert ids == [hit["candidate_id"] for hit in text_only["results"]]


def test_search_offset_past_window_is_422(api):
    response = api.post(
        "/v1/search", json={"skills": ["teamwork"], "offset": 10_000, "size": 100}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == PROBLEMS + "validation"
    assert "offset" in problem["detail"]
    assert "size" in problem["detail"]
    assert "10000" in problem["detail"]
    assert problem["errors"][0]["field"] == "offset"
    assert problem["errors"][0]["value"] == 10_000


def test_search_offset_at_window_end_is_accepted(api):
    response = api.post(
        "/v1/search", json={"skills": ["teamwork"], "offset": 9_900, "size": 100}
    )

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_search_engine_rejected_query_is_500(api, monkeypatch):
    def search_past_window(client, settings, search, requested, **caller):
        # model_copy skips validation, so the engine receives from + size
        # over its result window and returns HTTP 400.
        too_far = search.model_copy(update={"offset": 10_000, "size": 100})
        return search_candidates(client, settings, too_far, requested, **caller)

    monkeypatch.setattr(
        search_api.candidate_search, "search_candidates", search_past_window
    )

    with capture_logs() as logs:
        response = api.post("/v1/search", json={"skills": ["teamwork"]})

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == PROBLEMS + "query-rejected"
    assert "request was valid" in problem["detail"]
    text = response.text
    assert "engine-unavailable" not in text
    assert "window" not in text
    assert "sbtest" not in text
    assert "RequestError" not in text
    events = [entry["event"] for entry in logs]
    assert "api.engine.query_rejected" in events
    assert "api.engine.unavailable" not in events


def test_search_non_json_content_type_is_415(api):
    body = b'{"skills": ["teamwork"]}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}

        response = api.post("/v1/search", content=body, headers=headers)

        assert response.status_code == 415, content_type
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["type"] == PROBLEMS + "unsupported-media-type"
        assert "application/json" in problem["detail"]
        if content_type:
            assert content_type in problem["detail"]


def test_search_json_with_charset_is_accepted(api):
    response = api.post(
        "/v1/search",
        content=b'{"skills": ["teamwork"]}',
        headers={"content-type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 200


def test_candidate_unknown_id_is_404_problem(api):
    response = api.get("/v1/candidates/no-such-candidate")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == PROBLEMS + "candidate-not-found"
    assert "no-such-candidate" in problem["detail"]


def test_candidate_long_id_is_cut_in_404(api):
    long_id = "a" * 500

    response = api.get(f"/v1/candidates/{long_id}")

    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "a" * 100 + "…" in detail
    assert "a" * 101 not in detail


def test_candidate_malformed_id_is_404_problem(api):
    response = api.get("/v1/candidates/%2E%2E%2F_cluster")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_candidate_returns_employer_view(api):
    response = api.get("/v1/candidates/cand-verified")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    view = response.json()
    assert view["candidate_id"] == "cand-verified"
    assert view["name"] == "V.A."
    assert "display_name" not in view
    assert "birth_date" not in view
    assert "consent_scopes" not in view


def test_unknown_api_path_is_404_problem(api):
    response = api.get("/v1/nothing-here")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == PROBLEMS + "not-found"


def test_wrong_method_is_405_problem(api):
    response = api.get("/v1/search")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == PROBLEMS + "method-not-allowed"
    assert response.headers["allow"] == "POST"


def test_suggest_returns_labels_and_counts(api):
    response = api.get("/v1/skills/suggest", params={"q": "team", "size": 5})

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "team"
    by_id = {row["skill_id"]: row for row in body["suggestions"]}
    assert "skillbeacon:teamwork" in by_id
    assert by_id["skillbeacon:teamwork"]["label"] == "Teamwork"
    assert by_id["skillbeacon:teamwork"]["candidate_count"] >= 3


def test_suggest_without_query_is_problem(api):
    response = api.get("/v1/skills/suggest")

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "q"
    assert response.json()["errors"][0]["location"] == "query"


def test_suggest_size_out_of_range_is_problem(api):
    response = api.get("/v1/skills/suggest", params={"q": "te", "size": 500})

    assert response.status_code == 422
    assert response.json()["errors"][0]["value"] == "500"


def test_healthz_reports_cluster_status(api):
    response = api.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["cluster_status"] in ("green", "yellow")


def test_docs_and_openapi_are_served(api):
    docs = api.get("/docs")
    schema = api.get("/openapi.json")

    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/v1/search" in paths
    assert "/v1/candidates/{candidate_id}" in paths
    assert "/v1/skills/suggest" in paths
    assert "/healthz" in paths
    assert "/" not in paths
    responses = paths["/v1/search"]["post"]["responses"]
    assert PROBLEM in responses["422"]["content"]
    assert PROBLEM in responses["503"]["content"]
    assert PROBLEM in responses["413"]["content"]
    assert PROBLEM in responses["415"]["content"]


@pytest.fixture(scope="module")
def api_engine_down(settings, api_keys):
    """An app whose OpenSearch URL is a closed port on 127.0.0.1.

    Its requests carry a recruiter key, which cannot be checked while the
    engine is down, so those requests fail with 503 rather than 401.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    down = settings.model_copy(update={"engine_http_port": closed_port})
    client = build_client(down)
    with TestClient(
        create_app(down, client),
        raise_server_exceptions=False,
        headers=bearer(api_keys["recruiter"]),
    ) as http:
        yield http


def test_healthz_engine_down_is_503(api_engine_down):
    response = api_engine_down.get("/healthz")

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == PROBLEMS + "engine-unavailable"


def test_search_engine_down_hides_engine_error(api_engine_down):
    response = api_engine_down.post("/v1/search", json={"skills": ["teamwork"]})

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    text = response.text
    assert "Traceback" not in text
    assert "ConnectionError" not in text
    assert "127.0.0.1" not in text
    assert "sbtest" not in text


def test_candidate_engine_down_is_503(api_engine_down):
    response = api_engine_down.get("/v1/candidates/cand-verified")

    assert response.status_code == 503
    assert response.json()["type"] == PROBLEMS + "engine-unavailable"
