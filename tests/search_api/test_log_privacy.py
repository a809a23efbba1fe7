"""Logs and problem responses never carry personal data, keys or tokens."""

import logging

import structlog
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from search_api.app import create_app
from skillbeacon.logging import configure_logging
from skillbeacon.security import preview_token
from skillbeacon.store.indices import alias_name
from tests.conftest import bearer, unlimited
from tests.factories import candidate_document, skill_evidence
from tests.search_population import TEAMWORK

DISTINCT_NAME = "Zanzibar Quokkafeld"
DISTINCT_EMAIL = "zanzibar.quokkafeld@example.test"
DISTINCT_ID = "cand-log-privacy"


def test_logs_and_problems_omit_personal_data(
    settings, client, population, api_keys, caplog
):
    client.index(
        index=alias_name(settings, "candidates"),
        id=DISTINCT_ID,
        body=candidate_document(
            DISTINCT_ID,
            display_name=DISTINCT_NAME,
            visibility={"name": "hidden"},
            skills=[skill_evidence(TEAMWORK, "Teamwork", level="verified")],
        ),
        refresh=True,
    )
    recruiter = bearer(api_keys["recruiter"])
    wrong_key = api_keys["recruiter"][:-6] + "QQQQQQ"
    token = preview_token(DISTINCT_ID, settings)
    secrets = [
        DISTINCT_NAME,
        DISTINCT_EMAIL,
        token,
        wrong_key,
        *api_keys.values(),
    ]
    bodies: list[str] = []

    # The app logs stdlib records at WARNING and above, so capture those;
    # structlog events are captured at every level.
    caplog.set_level(logging.WARNING)
    with (
        capture_logs() as events,
        TestClient(create_app(unlimited(settings), client)) as http,
    ):
        requests = [
            http.post("/v1/search", json={"skills": ["teamwork"]}, headers=recruiter),
            http.post(
                "/v1/search",
                json={"skills": ["teamwork"], "text": DISTINCT_EMAIL},
                headers=recruiter,
            ),
            http.get(f"/v1/candidates/{DISTINCT_ID}", headers=recruiter),
            http.get(f"/candidates/{DISTINCT_ID}", headers=recruiter),
            http.get(f"/preview/{DISTINCT_ID}", params={"token": token}),
            http.get(f"/preview/{DISTINCT_ID}", params={"token": token + "x"}),
            http.post(
                f"/v1/learners/{DISTINCT_ID}/preview/rank",
                params={"token": token},
                json={"skills": ["teamwork"], "text": DISTINCT_EMAIL},
            ),
            http.post("/v1/search", json={"skills": ["x"]}, headers=bearer(wrong_key)),
            http.get("/v1/skills/suggest?q=tea", headers=bearer(api_keys["learner"])),
            http.post("/login", data={"key": wrong_key}),
            http.post("/login", data={"key": api_keys["admin"]}),
            http.delete(
                f"/v1/learners/{DISTINCT_ID}", headers=bearer(api_keys["admin"])
            ),
            http.get(f"/v1/candidates/{DISTINCT_ID}", headers=recruiter),
        ]
        for response in requests:
            if response.status_code >= 400:
                bodies.append(response.text)

    statuses = [response.status_code for response in requests]
    assert statuses == [200, 200, 200, 200, 200, 403, 200, 401, 403, 401, 401, 204, 404]
    logged = repr(events) + caplog.text
    for secret in secrets:
        assert secret not in logged, secret
        for body in bodies:
            assert secret not in body, secret
    # The key id is public, and it is what the logs use to name a key.
    assert any("key_id" in event for event in events)


def test_debug_logging_keeps_engine_trace_off(settings):
    configure_logging(settings.model_copy(update={"log_level": "DEBUG"}))
    try:
        trace = logging.getLogger("opensearchpy.trace")
        client_log = logging.getLogger("opensearch")

        assert not trace.isEnabledFor(logging.CRITICAL)
        assert not client_log.isEnabledFor(logging.WARNING)
    finally:
        structlog.reset_defaults()
