"""Visibility of each kind of learner to each kind of employer key.

Employer groups and youth-program enrollment are properties of the API key.
A learner whose consent names employer groups is shown only to keys in one
of them. A minor is shown only to youth-program keys, and only with guardian
consent and the youth_programs scope. Age comes from birth_date at query
time, so the learners born around the 18-year cutoff change with the date.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from skillbeacon.api_keys import Role
from skillbeacon.security import preview_token
from skillbeacon.store.api_keys import create_api_key
from skillbeacon.store.candidates import adult_birth_cutoff, upsert_candidates
from tests.conftest import bearer, unlimited
from tests.factories import (
    candidate_document,
    put_skill_concepts,
    skill_concept,
    skill_evidence,
)

TRIAGE = "skillbeacon:triage"
GROUP = "north-clinics"
OTHER_GROUP = "south-clinics"
# Contact is included so that interest requests reach the minors who are visible.
YOUTH_SCOPES = ["employer_search", "contact", "youth_programs"]

# Caller name: (role, employer groups, youth_program).
CALLERS: dict[str, tuple[Role, list[str], bool]] = {
    "no_group": (Role.recruiter, [], False),
    "matching_group": (Role.recruiter, [GROUP], False),
    "other_group": (Role.hr_system, [OTHER_GROUP], False),
    "youth": (Role.recruiter, [], True),
    "youth_matching_group": (Role.hr_system, [OTHER_GROUP, GROUP], True),
}
EVERY_CALLER = frozenset(CALLERS)
NO_CALLER: frozenset[str] = frozenset()
YOUTH_CALLERS = frozenset({"youth", "youth_matching_group"})

# Learner id: the callers whose searches and candidate reads return it.
EXPECTED_VISIBILITY: dict[str, frozenset[str]] = {
    "vis-adult": EVERY_CALLER,
    "vis-adult-grouped": frozenset({"matching_group", "youth_matching_group"}),
    "vis-minor-youth": YOUTH_CALLERS,
    "vis-minor-youth-grouped": frozenset({"youth_matching_group"}),
    "vis-minor-no-guardian": NO_CALLER,
    "vis-minor-no-youth-scope": NO_CALLER,
    "vis-turns-18-today": EVERY_CALLER,
    "vis-turns-18-tomorrow": YOUTH_CALLERS,
}

CASES = [
    (caller, learner_id, caller in callers)
    for learner_id, callers in EXPECTED_VISIBILITY.items()
    for caller in CALLERS
]
CASE_IDS = [f"{learner_id} to {caller}" for caller, learner_id, _ in CASES]


def _birth_date_turning_18(days_from_today: int) -> str:
    """Return the birth date of someone who turns 18 that many days from today.

    Only 0 and 1 are used. adult_birth_cutoff(today) is the latest birth date
    of an adult, so one day later is a minor who turns 18 tomorrow, on leap
    days too.
    """
    cutoff = adult_birth_cutoff(datetime.now(UTC).date())
    return (cutoff + timedelta(days=days_from_today)).isoformat()


def _learner(candidate_id: str, **fields: Any) -> dict[str, Any]:
    groups = fields.pop("employer_groups", [])
    document = candidate_document(
        candidate_id,
        display_name="Robin Quill",
        visibility={"name": "full", "location": "city"},
        skills=[skill_evidence(TRIAGE, "Triage")],
        **fields,
    )
    document["employer_groups"] = groups
    return document


def visibility_population() -> list[dict[str, Any]]:
    minor = {"age_band": "minor", "birth_date": "2011-03-14"}
    return [
        _learner("vis-adult"),
        _learner("vis-adult-grouped", employer_groups=[GROUP]),
        _learner(
            "vis-minor-youth",
            guardian_consent=True,
            consent_scopes=YOUTH_SCOPES,
            **minor,
        ),
        _learner(
            "vis-minor-youth-grouped",
            guardian_consent=True,
            consent_scopes=YOUTH_SCOPES,
            employer_groups=[GROUP],
            **minor,
        ),
        _learner("vis-minor-no-guardian", consent_scopes=YOUTH_SCOPES, **minor),
        _learner(
            "vis-minor-no-youth-scope",
            guardian_consent=True,
            consent_scopes=["employer_search", "contact"],
            **minor,
        ),
        # Indexed as minors; birth_date makes one an adult today. Only the
        # one still a minor has guardian consent, so a youth key finds it and
        # every key finds the new adult.
        _learner(
            "vis-turns-18-today",
            age_band="minor",
            birth_date=_birth_date_turning_18(0),
        ),
        _learner(
            "vis-turns-18-tomorrow",
            age_band="minor",
            birth_date=_birth_date_turning_18(1),
            guardian_consent=True,
            consent_scopes=YOUTH_SCOPES,
        ),
    ]


@pytest.fixture(scope="module")
def caller_keys(settings, client) -> dict[str, str]:
    keys = {}
    for name, (role, groups, youth_program) in CALLERS.items():
        _, key = create_api_key(
            client,
            settings,
            role,
            organization=f"Org {name}",
            employer_groups=groups,
            youth_program=youth_program,
        )
        keys[name] = key
    return keys


@pytest.fixture(scope="module")
def http(settings, client) -> Iterator[TestClient]:
    written, failed = upsert_candidates(client, settings, visibility_population())
    assert failed == []
    assert written == len(EXPECTED_VISIBILITY)
    put_skill_concepts(client, settings, [skill_concept(TRIAGE, "Triage")])

    app = create_app(unlimited(settings), client)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def search_results(http, caller_keys) -> dict[str, set[str]]:
    """Run one search per caller; return the candidate ids each one got."""
    results = {}
    for caller, key in caller_keys.items():
        response = http.post(
            "/v1/search", json={"skills": ["triage"], "size": 50}, headers=bearer(key)
        )
        assert response.status_code == 200, response.text
        body = response.json()
        ids = {hit["candidate_id"] for hit in body["results"]}
        assert body["total"] == len(ids)
        results[caller] = ids
    return results


def test_population_table_is_complete():
    documents = visibility_population()

    assert {doc["candidate_id"] for doc in documents} == set(EXPECTED_VISIBILITY)


@pytest.mark.parametrize(("caller", "learner_id", "visible"), CASES, ids=CASE_IDS)
def test_search_visibility_by_caller(search_results, caller, learner_id, visible):
    assert (learner_id in search_results[caller]) is visible


@pytest.mark.parametrize(("caller", "learner_id", "visible"), CASES, ids=CASE_IDS)
def test_candidate_endpoint_visibility_by_caller(
    http, caller_keys, caller, learner_id, visible
):
    response = http.get(
        f"/v1/candidates/{learner_id}", headers=bearer(caller_keys[caller])
    )

    assert response.status_code == (200 if visible else 404), response.text


@pytest.mark.parametrize(("caller", "learner_id", "visible"), CASES, ids=CASE_IDS)
def test_interest_request_visibility_by_caller(
    http, caller_keys, caller, learner_id, visible
):
    response = http.post(
        f"/v1/candidates/{learner_id}/interest",
        json={"message": "Summer internship"},
        headers=bearer(caller_keys[caller]),
    )

    assert response.status_code == (200 if visible else 404), response.text


@pytest.mark.parametrize("caller", ["matching_group", "youth"])
def test_ui_pages_visibility_by_caller(http, caller_keys, caller):
    headers = bearer(caller_keys[caller])
    expected = {
        learner_id
        for learner_id, callers in EXPECTED_VISIBILITY.items()
        if caller in callers
    }

    page = http.get("/", params={"skills": "triage"}, headers=headers).text

    for learner_id in EXPECTED_VISIBILITY:
        card = f'id="candidate-{learner_id}"'
        assert (card in page) is (learner_id in expected), learner_id
        status = http.get(f"/candidates/{learner_id}", headers=headers).status_code
        assert status == (200 if learner_id in expected else 404), learner_id


def test_minor_view_for_youth_key_is_reduced(http, caller_keys):
    response = http.get(
        "/v1/candidates/vis-minor-youth", headers=bearer(caller_keys["youth"])
    )

    assert response.status_code == 200
    view = response.json()
    assert view["is_minor"] is True
    assert view["name"] == "R.Q."
    assert view["location"] == {"city": None, "region": "Illinois", "country": "US"}
    text = response.text
    for private in ("Robin", "Springfield", "birth_date", "guardian", "2011-03-14"):
        assert private not in text, private


def test_adult_view_keeps_chosen_fields(http, caller_keys):
    response = http.get(
        "/v1/candidates/vis-turns-18-today", headers=bearer(caller_keys["no_group"])
    )

    view = response.json()
    assert view["is_minor"] is False
    assert view["name"] == "Robin Quill"
    assert view["location"]["city"] == "Springfield"


def test_minor_contact_needs_guardian_for_youth_key(
    http, caller_keys, api_keys, settings
):
    headers = bearer(caller_keys["youth"])
    requested = http.post(
        "/v1/candidates/vis-minor-youth/interest",
        json={"message": "Dual enrollment placement"},
        headers=headers,
    )
    assert requested.status_code == 200
    interest_id = requested.json()["interest_id"]
    token = preview_token("vis-minor-youth", settings)

    accepted = http.post(
        f"/v1/learners/vis-minor-youth/interests/{interest_id}/decision",
        params={"token": token},
        json={"decision": "accept", "contact": "robin@example.org"},
    )
    waiting = http.get(f"/v1/interests/{interest_id}", headers=headers).json()

    assert accepted.status_code == 200
    assert waiting["status"] == "awaiting_guardian"
    assert waiting["contact"] is None
    guardian = http.post(
        f"/v1/learners/vis-minor-youth/interests/{interest_id}/guardian-acceptance",
        headers=bearer(api_keys["admin"]),
    )
    assert guardian.status_code == 200
    released = http.get(f"/v1/interests/{interest_id}", headers=headers).json()
    assert released["status"] == "accepted"
    assert released["contact"] == "robin@example.org"


def test_suggest_counts_leave_out_groups_and_minors(http, caller_keys):
    # Only vis-adult and vis-turns-18-today count: the counts are computed
    # for a caller in no group and not in youth programs, for every key.
    for caller, key in caller_keys.items():
        response = http.get(
            "/v1/skills/suggest", params={"q": "tria"}, headers=bearer(key)
        )

        assert response.status_code == 200, caller
        suggestions = response.json()["suggestions"]
        assert [s["skill_id"] for s in suggestions] == [TRIAGE], caller
        assert suggestions[0]["candidate_count"] == 2, caller


def test_preview_reports_group_limit(http, settings):
    token = preview_token("vis-adult-grouped", settings)

    response = http.get(
        "/v1/learners/vis-adult-grouped/preview", params={"token": token}
    )

    body = response.json()
    assert body["visible"] is True
    assert body["hidden_reasons"] == []
    assert len(body["visibility_limits"]) == 1
    assert GROUP in body["visibility_limits"][0]


def test_preview_rank_of_youth_minor_uses_youth_search(http, settings):
    token = preview_token("vis-minor-youth-grouped", settings)

    response = http.post(
        "/v1/learners/vis-minor-youth-grouped/preview/rank",
        params={"token": token},
        json={"skills": ["triage"]},
    )

    body = response.json()
    assert body["appears"] is True
    # The rank comes from the search of a youth key in the learner's group,
    # so its total counts the learners listed for youth_matching_group.
    expected = sum(
        "youth_matching_group" in callers for callers in EXPECTED_VISIBILITY.values()
    )
    assert body["total"] == expected


def test_preview_rank_of_adult_uses_plain_search(http, settings):
    token = preview_token("vis-adult", settings)

    response = http.post(
        "/v1/learners/vis-adult/preview/rank",
        params={"token": token},
        json={"skills": ["triage"]},
    )

    body = response.json()
    assert body["appears"] is True
    assert body["total"] == 2
