"""Learner routes: consent operations, the preview, rank for a query, views."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.contact_relay import interest_id_for
from skillbeacon.api_keys import Role, parse_key_id
from skillbeacon.security import preview_token
from skillbeacon.store import candidates as candidate_store
from skillbeacon.store import skills as skill_store
from skillbeacon.store.api_keys import create_api_key, get_api_key
from skillbeacon.store.audit import list_audit_events
from skillbeacon.store.candidates import get_candidate
from skillbeacon.store.indices import alias_name, refresh
from skillbeacon.store.views import list_views
from tests.conftest import KEYED_LEARNER_ID, KEYED_ORGANIZATION, bearer, unlimited
from tests.factories import candidate_document, skill_evidence
from tests.search_population import TEAMWORK

PROBLEM = "application/problem+json"
AUDIT_FIELDS = {"learner_id", "action", "occurred_at", "actor_key_id"}


@pytest.fixture(scope="module")
def http(settings, client, population) -> Iterator[TestClient]:
    """A client without a key; each test sends the key of the role it tests."""
    with TestClient(create_app(unlimited(settings), client)) as app_client:
        yield app_client


def _add_teamwork_candidate(client, settings, candidate_id: str) -> None:
    document = candidate_document(
        candidate_id,
        display_name="Quentin Erasable",
        skills=[skill_evidence(TEAMWORK, "Teamwork", level="self_reported")],
    )
    client.index(
        index=alias_name(settings, "candidates"),
        id=candidate_id,
        body=document,
        refresh=True,
    )


def _teamwork_total(http, api_keys) -> int:
    response = http.post(
        "/v1/search",
        json={"skills": ["teamwork"]},
        headers=bearer(api_keys["hr_system"]),
    )
    return response.json()["total"]


def _teamwork_count(http, api_keys) -> int:
    response = http.get(
        "/v1/skills/suggest",
        params={"q": "teamwork"},
        headers=bearer(api_keys["hr_system"]),
    )
    rows = response.json()["suggestions"]
    return next(row["candidate_count"] for row in rows if row["skill_id"] == TEAMWORK)


@pytest.mark.parametrize(
    ("route", "action"),
    [("", "learner_deleted"), ("/consent/withdraw", "consent_withdrawn")],
)
def test_removal_hides_learner_at_once(http, api_keys, settings, client, route, action):
    candidate_id = f"cand-remove-{action.split('_')[0]}"
    _add_teamwork_candidate(client, settings, candidate_id)
    before_total = _teamwork_total(http, api_keys)
    skill_store.update_candidate_counts(
        client, settings, candidate_store.count_candidates_by_skill(client, settings)
    )
    refresh(client, settings, "skills")
    before_count = _teamwork_count(http, api_keys)
    method = "DELETE" if route == "" else "POST"

    response = http.request(
        method, f"/v1/learners/{candidate_id}{route}", headers=bearer(api_keys["admin"])
    )

    assert response.status_code == 204
    assert get_candidate(client, settings, candidate_id) is None
    assert _teamwork_total(http, api_keys) == before_total - 1
    refresh(client, settings, "skills")
    assert _teamwork_count(http, api_keys) == before_count - 1
    viewed = http.get(
        f"/v1/candidates/{candidate_id}", headers=bearer(api_keys["recruiter"])
    )
    assert viewed.status_code == 404

    records = list_audit_events(client, settings, candidate_id)
    assert len(records) == 1
    assert set(records[0]) == AUDIT_FIELDS
    assert records[0]["action"] == action
    assert records[0]["actor_key_id"] == parse_key_id(api_keys["admin"])
    assert "Quentin" not in str(records[0])


def test_delete_unknown_learner_is_404(http, api_keys, settings, client):
    for learner_id in ("cand-never-indexed", "../etc"):
        response = http.delete(
            f"/v1/learners/{learner_id}", headers=bearer(api_keys["admin"])
        )

        assert response.status_code == 404, learner_id
        assert response.headers["content-type"] == PROBLEM
    assert list_audit_events(client, settings, "cand-never-indexed") == []


def test_delete_drops_view_log(http, api_keys, settings, client):
    _add_teamwork_candidate(client, settings, "cand-viewed-then-erased")
    viewed = http.get(
        "/v1/candidates/cand-viewed-then-erased", headers=bearer(api_keys["recruiter"])
    )
    assert viewed.status_code == 200
    refresh(client, settings, "views")
    assert len(list_views(client, settings, "cand-viewed-then-erased")) == 1

    response = http.delete(
        "/v1/learners/cand-viewed-then-erased", headers=bearer(api_keys["admin"])
    )

    assert response.status_code == 204
    refresh(client, settings, "views")
    assert list_views(client, settings, "cand-viewed-then-erased") == []


def test_delete_revokes_learner_keys(http, api_keys, settings, client):
    learner_id = "cand-keyed-then-erased"
    _add_teamwork_candidate(client, settings, learner_id)
    record, key = create_api_key(client, settings, Role.learner, learner_id=learner_id)
    preview = f"/v1/learners/{learner_id}/preview"
    assert http.get(preview, headers=bearer(key)).status_code == 200

    response = http.delete(
        f"/v1/learners/{learner_id}", headers=bearer(api_keys["admin"])
    )

    assert response.status_code == 204
    stored = get_api_key(client, settings, record.key_id)
    assert stored is not None
    assert stored.revoked_at is not None
    assert http.get(preview, headers=bearer(key)).status_code == 401
    others = http.get(
        f"/v1/learners/{KEYED_LEARNER_ID}/preview", headers=bearer(api_keys["learner"])
    )
    assert others.status_code == 200


def test_withdrawal_keeps_learner_keys(http, api_keys, settings, client):
    learner_id = "cand-keyed-then-withdrawn"
    _add_teamwork_candidate(client, settings, learner_id)
    record, _ = create_api_key(client, settings, Role.learner, learner_id=learner_id)

    response = http.post(
        f"/v1/learners/{learner_id}/consent/withdraw",
        headers=bearer(api_keys["admin"]),
    )

    assert response.status_code == 204
    stored = get_api_key(client, settings, record.key_id)
    assert stored is not None
    assert stored.revoked_at is None


def test_delete_revokes_keys_of_removed_learner(http, api_keys, settings, client):
    learner_id = "cand-key-only"
    record, _ = create_api_key(client, settings, Role.learner, learner_id=learner_id)

    response = http.delete(
        f"/v1/learners/{learner_id}", headers=bearer(api_keys["admin"])
    )

    assert response.status_code == 204
    stored = get_api_key(client, settings, record.key_id)
    assert stored is not None
    assert stored.revoked_at is not None
    assert len(list_audit_events(client, settings, learner_id)) == 1


def test_preview_api_groups_skills(http, api_keys):
    response = http.get(
        f"/v1/learners/{KEYED_LEARNER_ID}/preview", headers=bearer(api_keys["learner"])
    )

    assert response.status_code == 200
    body = response.json()
    assert body["visible"] is True
    assert body["hidden_reasons"] == []
    assert body["verified_skills"] == ["Teamwork"]
    assert body["self_reported_skills"] == []
    assert body["candidate"]["candidate_id"] == KEYED_LEARNER_ID


def test_preview_rank_reports_only_own_place(http, api_keys):
    response = http.post(
        f"/v1/learners/{KEYED_LEARNER_ID}/preview/rank",
        json={"skills": ["teamwork", "python"]},
        headers=bearer(api_keys["learner"]),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["appears"] is True
    assert body["total"] >= 2
    # cand-both matches both skills, so it ranks above cand-verified.
    assert body["position"] >= 2
    assert body["explanation"]["matched_count"] == 1
    text = response.text
    for other in ("cand-both", "cand-self", "cand-tie-a", "Bo Both"):
        assert other not in text, other


def test_preview_rank_minor_does_not_appear(http, settings):
    token = preview_token("cand-minor", settings)
    response = http.post(
        "/v1/learners/cand-minor/preview/rank",
        params={"token": token},
        json={"skills": ["teamwork"]},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["appears"] is False
    assert body["position"] is None
    assert body["explanation"] is None


def test_preview_rank_ui_shows_position(http, api_keys):
    response = http.get(
        f"/preview/{KEYED_LEARNER_ID}",
        params={"q": "teamwork"},
        headers=bearer(api_keys["learner"]),
    )

    assert response.status_code == 200
    page = response.text
    assert "You would be number <strong>" in page
    assert "Why this rank" in page
    assert "cand-self" not in page


def test_views_list_employer_organization(http, api_keys, settings, client):
    for path in (
        f"/v1/candidates/{KEYED_LEARNER_ID}",
        f"/candidates/{KEYED_LEARNER_ID}",
    ):
        assert http.get(path, headers=bearer(api_keys["recruiter"])).status_code == 200
    refresh(client, settings, "views")

    response = http.get(
        f"/v1/learners/{KEYED_LEARNER_ID}/views", headers=bearer(api_keys["learner"])
    )

    assert response.status_code == 200
    views = response.json()
    assert {view["channel"] for view in views} >= {"api", "ui"}
    assert {view["organization"] for view in views} == {KEYED_ORGANIZATION}
    assert {view["event"] for view in views} == {"candidate_viewed"}
    recruiter_key_id = parse_key_id(api_keys["recruiter"])
    assert recruiter_key_id is not None
    assert recruiter_key_id not in response.text
    page = http.get(
        f"/preview/{KEYED_LEARNER_ID}", headers=bearer(api_keys["learner"])
    ).text
    assert KEYED_ORGANIZATION in page


def test_rank_does_not_record_views(http, api_keys, settings, client):
    http.post(
        "/v1/learners/cand-self/preview/rank",
        params={"token": preview_token("cand-self", settings)},
        json={"skills": ["teamwork"]},
    )
    http.post(
        "/v1/search",
        json={"skills": ["teamwork"]},
        headers=bearer(api_keys["recruiter"]),
    )
    refresh(client, settings, "views")

    assert list_views(client, settings, "cand-self") == []


def test_interest_contact_released_after_acceptance(http, api_keys, settings):
    recruiter = bearer(api_keys["recruiter"])
    learner = bearer(api_keys["learner"])
    sent = http.post(
        f"/v1/candidates/{KEYED_LEARNER_ID}/interest",
        json={"message": "Care assistant, evenings"},
        headers=recruiter,
    )
    assert sent.status_code == 200
    interest = sent.json()
    assert interest["status"] == "pending"
    assert interest["contact"] is None
    again = http.post(
        f"/v1/candidates/{KEYED_LEARNER_ID}/interest", json={}, headers=recruiter
    )
    assert again.json()["interest_id"] == interest["interest_id"]

    listed = http.get(f"/v1/learners/{KEYED_LEARNER_ID}/interests", headers=learner)
    assert listed.status_code == 200
    rows = [
        row for row in listed.json() if row["interest_id"] == interest["interest_id"]
    ]
    assert len(rows) == 1
    assert rows[0]["organization"] == KEYED_ORGANIZATION
    assert rows[0]["message"] == "Care assistant, evenings"
    assert parse_key_id(api_keys["recruiter"]) not in listed.text

    other_employer = http.get(
        f"/v1/interests/{interest['interest_id']}",
        headers=bearer(api_keys["hr_system"]),
    )
    assert other_employer.status_code == 404

    decision_path = (
        f"/v1/learners/{KEYED_LEARNER_ID}/interests/{interest['interest_id']}/decision"
    )
    missing_contact = http.post(
        decision_path, json={"decision": "accept"}, headers=learner
    )
    assert missing_contact.status_code == 422
    accepted = http.post(
        decision_path,
        json={"decision": "accept", "contact": "verity@example.test"},
        headers=learner,
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"

    status = http.get(f"/v1/interests/{interest['interest_id']}", headers=recruiter)
    assert status.json()["status"] == "accepted"
    assert status.json()["contact"] == "verity@example.test"
    again = http.post(decision_path, json={"decision": "decline"}, headers=learner)
    assert again.status_code == 409
    view = http.get(f"/v1/candidates/{KEYED_LEARNER_ID}", headers=recruiter)
    assert "verity@example.test" not in view.text


def test_interest_to_hidden_minor_is_404(http, api_keys):
    response = http.post(
        "/v1/candidates/cand-minor/interest",
        json={},
        headers=bearer(api_keys["recruiter"]),
    )

    assert response.status_code == 404


def test_minor_contact_waits_for_guardian(http, api_keys, settings, client):
    recruiter = bearer(api_keys["recruiter"])
    key_id = parse_key_id(api_keys["recruiter"]) or ""
    interest_id = interest_id_for("cand-minor-guardian", key_id)
    client.index(
        index=alias_name(settings, "interests"),
        id=interest_id,
        body={
            "interest_id": interest_id,
            "candidate_id": "cand-minor-guardian",
            "key_id": key_id,
            "organization": KEYED_ORGANIZATION,
            "status": "pending",
            "requires_guardian": False,
            "requested_at": "2026-01-05T10:00:00+00:00",
        },
        refresh=True,
    )
    token = preview_token("cand-minor-guardian", settings)

    accepted = http.post(
        f"/v1/learners/cand-minor-guardian/interests/{interest_id}/decision",
        params={"token": token},
        json={"decision": "accept", "contact": "555-0199"},
    )

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "awaiting_guardian"
    waiting = http.get(f"/v1/interests/{interest_id}", headers=recruiter).json()
    assert waiting["status"] == "awaiting_guardian"
    assert waiting["contact"] is None

    guardian = http.post(
        f"/v1/learners/cand-minor-guardian/interests/{interest_id}/guardian-acceptance",
        headers=bearer(api_keys["admin"]),
    )

    assert guardian.status_code == 200
    released = http.get(f"/v1/interests/{interest_id}", headers=recruiter).json()
    assert released["status"] == "accepted"
    assert released["contact"] == "555-0199"


def test_preview_page_declines_interest(http, api_keys, settings):
    sent = http.post(
        "/v1/candidates/cand-self/interest",
        json={"message": "Retail shifts"},
        headers=bearer(api_keys["hr_system"]),
    ).json()
    token = preview_token("cand-self", settings)
    page = http.get("/preview/cand-self", params={"token": token}).text
    assert "Retail shifts" in page
    assert f"/interests/{sent['interest_id']}?token=" in page

    response = http.post(
        f"/preview/cand-self/interests/{sent['interest_id']}",
        params={"token": token},
        data={"decision": "decline"},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"].startswith("/preview/cand-self?token=")
    status = http.get(
        f"/v1/interests/{sent['interest_id']}", headers=bearer(api_keys["hr_system"])
    ).json()
    assert status["status"] == "declined"
    assert status["contact"] is None


def test_interest_needs_the_contact_scope(http, api_keys, settings, client):
    from skillbeacon.store.candidates import upsert_candidates
    from tests.factories import candidate_document

    upsert_candidates(
        client,
        settings,
        [candidate_document("no-contact", consent_scopes=["employer_search"])],
    )

    response = http.post(
        "/v1/candidates/no-contact/interest",
        json={"message": "Hello"},
        headers=bearer(api_keys["recruiter"]),
    )

    assert response.status_code == 409
    assert response.json()["type"].endswith("contact-not-accepted")


def test_withdrawal_takes_back_shared_contact(http, api_keys, settings, client):
    _add_teamwork_candidate(client, settings, "contact-then-withdraw")
    recruiter = bearer(api_keys["recruiter"])
    sent = http.post(
        "/v1/candidates/contact-then-withdraw/interest", json={}, headers=recruiter
    )
    interest_id = sent.json()["interest_id"]
    from skillbeacon.store import interests as interest_store

    interest_store.update_interest(
        client,
        settings,
        interest_id,
        {"status": "accepted", "contact": "call the school office"},
    )
    before = http.get(f"/v1/interests/{interest_id}", headers=recruiter)
    assert before.json()["contact"] == "call the school office"

    withdrawn = http.post(
        "/v1/learners/contact-then-withdraw/consent/withdraw",
        headers=bearer(api_keys["admin"]),
    )
    after = http.get(f"/v1/interests/{interest_id}", headers=recruiter)

    assert withdrawn.status_code == 204
    assert after.status_code == 404
    assert "call the school office" not in after.text
