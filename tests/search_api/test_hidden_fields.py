"""Hidden profile fields never reach any employer-facing response."""

import pytest

from skillbeacon.security import preview_token
from skillbeacon.store.candidates import upsert_candidates
from tests.factories import (
    candidate_document,
    credential_record,
    pathway_progress,
    skill_evidence,
)
from tests.search_population import TEAMWORK

CANDIDATE = "hidden-fields"
NAME = "Xanthippe Hiddenname"
SCHOOL = "Secretschool Academy"
CITY = "Hiddencityville"
CREDENTIAL = "Secret Credential Name"
PATHWAY = "Secret Pathway Name"
EMPLOYER_SECRETS = (NAME, "Hiddenname", SCHOOL, CITY, CREDENTIAL, PATHWAY)
LEARNER_PREVIEW_SECRETS = (NAME, "Hiddenname", SCHOOL, CITY)


@pytest.fixture(scope="module")
def hidden_candidate(api, settings, client):
    document = candidate_document(
        CANDIDATE,
        display_name=NAME,
        school=SCHOOL,
        location={"city": CITY, "region": "Oregon", "country": "US"},
        visibility={
            "name": "initials",
            "location": "region",
            "school": False,
            "availability": False,
            "credentials": False,
            "pathways": False,
        },
        skills=[skill_evidence(TEAMWORK, "Teamwork", credential_ids=["c-1"])],
        credentials=[credential_record("c-1", CREDENTIAL, skill_ids=[TEAMWORK])],
        pathways=[pathway_progress("secret-pathway", PATHWAY, 4, 2)],
    )
    written, failed = upsert_candidates(client, settings, [document])
    assert failed == []
    return document


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/search", {"skills": ["teamwork"], "size": 100}),
        ("POST", "/v1/search", {"text": "Secret Credential Name"}),
        ("GET", f"/v1/candidates/{CANDIDATE}", None),
        ("GET", "/?skills=teamwork&size=100", None),
        ("GET", f"/candidates/{CANDIDATE}", None),
    ],
)
def test_employer_responses_omit_hidden_fields(
    api, hidden_candidate, method, path, body
):
    response = api.request(method, path, json=body)

    assert response.status_code == 200, response.text
    for secret in EMPLOYER_SECRETS:
        assert secret not in response.text


def test_hidden_candidate_is_found_by_skill(api, hidden_candidate):
    response = api.post("/v1/search", json={"skills": ["teamwork"], "size": 100})

    ids = [hit["candidate_id"] for hit in response.json()["results"]]
    assert CANDIDATE in ids


def test_learner_preview_shows_the_employer_card(api, settings, hidden_candidate):
    token = preview_token(CANDIDATE, settings)

    page = api.get(f"/preview/{CANDIDATE}?token={token}")
    data = api.get(f"/v1/learners/{CANDIDATE}/preview?token={token}")

    assert page.status_code == 200
    assert data.status_code == 200
    for secret in LEARNER_PREVIEW_SECRETS:
        assert secret not in page.text
        assert secret not in data.text
